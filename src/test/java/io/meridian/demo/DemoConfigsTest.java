package io.meridian.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meridian.config.ConfigLoader;
import io.meridian.config.PrometheusConfig;
import io.meridian.config.RemoteWriteConfig;
import io.meridian.config.ScrapeConfig;
import io.meridian.model.Labels;
import io.meridian.scrape.Target;
import io.meridian.scrape.Targets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoConfigsTest {
  @TempDir Path dir;

  private DemoConfigs.Settings settings(DemoConfigs.Tenancy tenancy) {
    List<SimulatedCluster.Options> clusters = new ArrayList<>();
    for (int n = 1; n <= 3; n++) {
      clusters.add(SimulatedCluster.Options.forSeries(DemoLayout.clusterName(n), 5000, 600_000, n));
    }
    return new DemoConfigs.Settings(
        new DemoLayout(30000, 3), clusters, "5s", tenancy, dir.resolve("token"));
  }

  @Test
  void clusterConfigsScrapeTheirWorkloadAndRemoteWriteTheGuidesMetrics() throws Exception {
    DemoConfigs.Settings s = settings(DemoConfigs.Tenancy.PER_CLUSTER);
    List<Path> files = DemoConfigs.write(s, dir.resolve("configs"));
    assertThat(files)
        .extracting(p -> p.getFileName().toString())
        .containsExactly("central.yml", "cluster1.yml", "cluster2.yml", "cluster3.yml");

    PrometheusConfig c2 = ConfigLoader.load(files.get(2), Map.of());
    assertThat(c2.global().externalLabels())
        .isEqualTo(Labels.of("cluster", "cluster2", "region", "us-east-1"));
    assertThat(c2.scrapeConfigs())
        .extracting(ScrapeConfig::jobName)
        .containsExactly("kubernetes-nodes", "kubernetes-pods");
    Targets pods = Targets.of(c2.scrapeConfigs().get(1));
    int nodes = s.clusters().get(1).nodes();
    assertThat(pods.active()).hasSize(nodes);
    Target first = pods.active().getFirst();
    assertThat(first.url().toString()).isEqualTo("http://127.0.0.1:30102/pods/0/metrics");
    assertThat(first.labels().get("instance")).isEqualTo("cluster2-node-0");

    RemoteWriteConfig rw = c2.remoteWrite().getFirst();
    assertThat(rw.url().toString()).isEqualTo("http://127.0.0.1:30001/api/v1/receive");
    assertThat(rw.headers()).containsEntry("X-Scope-OrgID", "cluster2");
    assertThat(rw.queue().maxShards()).isEqualTo(10);
    assertThat(rw.writeRelabelConfigs()).hasSize(1);
    assertThat(rw.httpClient().authorization()).isPresent();
  }

  @Test
  void theCentralServerFederatesBothJobsFromEveryCluster() throws Exception {
    DemoConfigs.Settings s = settings(DemoConfigs.Tenancy.SINGLE);
    List<Path> files = DemoConfigs.write(s, dir.resolve("configs"));
    PrometheusConfig central = ConfigLoader.load(files.getFirst(), Map.of());
    assertThat(central.scrapeConfigs())
        .extracting(ScrapeConfig::jobName)
        .containsExactly("federate-cluster1", "federate-cluster2", "federate-cluster3");
    ScrapeConfig f = central.scrapeConfigs().get(2);
    assertThat(f.honorLabels()).isTrue();
    assertThat(f.metricsPath()).isEqualTo("/federate");
    assertThat(f.params().get("match[]"))
        .containsExactly("{job=\"kubernetes-nodes\"}", "{job=\"kubernetes-pods\"}");
    assertThat(Targets.of(f).active().getFirst().url().getPort()).isEqualTo(30013);
    PrometheusConfig single = ConfigLoader.load(files.get(1), Map.of());
    assertThat(single.remoteWrite().getFirst().headers()).isEmpty();
  }

  @Test
  void theLayoutIsFixedAndRefusesWhatDoesNotFit() {
    DemoLayout l = new DemoLayout(9090, 3);
    assertThat(l.all()).containsExactly(9090, 9091, 9101, 9191, 9102, 9192, 9103, 9193);
    assertThatThrownBy(() -> new DemoLayout(65500, 3)).hasMessageContaining("--base-port");
    assertThatThrownBy(() -> new DemoLayout(9090, 0)).hasMessageContaining("--clusters");
  }
}
