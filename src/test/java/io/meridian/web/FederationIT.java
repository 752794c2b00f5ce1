package io.meridian.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.meridian.model.Labels;
import io.meridian.promql.Engine;
import io.meridian.promql.EngineOptions;
import io.meridian.storage.Appender;
import io.meridian.testing.PrometheusPeer;
import io.meridian.tsdb.head.Head;
import io.meridian.tsdb.head.HeadOptions;
import io.meridian.tsdb.head.Journal;
import io.meridian.util.BuildInfo;
import io.meridian.util.Clock;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Debian's Prometheus 2.42 federates from Meridian with the multi-cluster guide's scrape config,
 * unchanged but for the target: the matching series arrive with their labels and values, the
 * external labels added, the others not at all.
 */
class FederationIT {
  @TempDir Path tmp;

  @Test
  void prometheusFederatesFromMeridian() throws Exception {
    PrometheusPeer.assumeInstalled();
    Head head = new Head(HeadOptions.defaults(), Journal.NONE);
    long now = Clock.system().millis();
    Appender app = head.appender();
    for (long t = now - 120_000; t <= now; t += 15_000) {
      for (int i = 0; i < 3; i++) {
        app.append(
            Labels.of("__name__", "node_load1", "job", "kubernetes-nodes", "instance", "n" + i),
            t,
            i + 0.5);
        app.append(
            Labels.of(
                "__name__", "container_cpu_usage_seconds_total",
                "job", "kubernetes-pods",
                "namespace", "default",
                "pod", "p" + i),
            t,
            (t - now + 120_000) / 1000.0 * (i + 1));
      }
      app.append(Labels.of("__name__", "secret_metric", "job", "other"), t, 42);
    }
    app.commit();
    ApiBackend backend =
        new ApiBackend(
            head,
            new Engine(EngineOptions.defaults(), Clock.system()),
            null,
            Clock.system(),
            BuildInfo.current(),
            Map.of(),
            () -> true,
            new PrometheusRegistry(),
            () -> Labels.of("cluster", "cluster1", "region", "eu"),
            true,
            null,
            Map::of,
            () -> "");
    try (WebServer meridian = WebServer.start("127.0.0.1:0", backend);
        PrometheusPeer prometheus =
            PrometheusPeer.start(
                tmp,
                Files.createDirectories(tmp.resolve("prom")),
                """
                global:
                  scrape_interval: 1s
                scrape_configs:
                - job_name: 'federate-cluster1'
                  honor_labels: true
                  metrics_path: '/federate'
                  params:
                    'match[]':
                      - '{job="kubernetes-nodes"}'
                      - '{job="kubernetes-pods"}'
                  static_configs:
                    - targets:
                      - '127.0.0.1:%d'
                """
                    .replace("%d", Integer.toString(meridian.port())),
                Duration.ofSeconds(60))) {
      JsonNode up =
          prometheus.awaitQuery(
              "up{job=\"federate-cluster1\"}", -1, v -> v.path(1).asText().equals("1"));
      assertThat(up).hasSize(1);
      JsonNode nodes = prometheus.awaitQuery("count(node_load1)", -1, v -> v.path(1).asInt() == 3);
      assertThat(nodes).hasSize(1);
      JsonNode load = prometheus.query("node_load1{instance=\"n2\"}", -1);
      assertThat(load.get(0).path("metric").toString())
          .isEqualTo(
              "{\"__name__\":\"node_load1\",\"cluster\":\"cluster1\",\"instance\":\"n2\","
                  + "\"job\":\"kubernetes-nodes\",\"region\":\"eu\"}");
      assertThat(load.get(0).path("value").path(1).asText()).isEqualTo("2.5");
      assertThat(prometheus.query("container_cpu_usage_seconds_total", -1)).hasSize(3);
      assertThat(prometheus.query("secret_metric", -1)).isEmpty();
      prometheus.stop();
    }
  }
}
