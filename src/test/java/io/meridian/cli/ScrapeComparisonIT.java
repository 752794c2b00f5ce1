package io.meridian.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.meridian.testing.FreePort;
import io.meridian.testing.MeridianProcess;
import io.meridian.testing.PrometheusPeer;
import io.meridian.testing.Promtool;
import io.meridian.testing.SyntheticExporter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Meridian and Debian's Prometheus 2.42 scrape the same targets with the same config — three
 * synthetic Kubernetes-node targets (one per cluster; counters, gauges, a classic histogram) and
 * the node exporter — and {@code promtool query instant} and {@code promtool query range} give the
 * same answers from both.
 *
 * <p>The synthetic targets stamp each sample with its tick, and both servers scrape several times a
 * tick, so both hold the same samples and must agree (to 12 digits: sums may add in another order).
 * Samples sit on even seconds, query times on odd ones and ranges are even, so no sample is exactly
 * at a range's lower bound, where Prometheus 2.42 and 3.x differ. The node exporter's values move
 * between the servers' scrapes, so its queries ask what both must see alike: which series exist.
 */
class ScrapeComparisonIT {
  private static final Path NODE_EXPORTER = Path.of("/usr/bin/prometheus-node-exporter");
  private static final long TICK = 2000;

  @TempDir Path dir;

  private static final List<String> QUERIES =
      List.of(
          "sum(rate(container_cpu_usage_seconds_total{cluster=~\"cluster1|cluster2\"}[5m])) by"
              + " (cluster)",
          "sum by (cluster, namespace) (rate(container_cpu_usage_seconds_total[10s]))",
          "increase(container_cpu_usage_seconds_total{pod=\"default-pod-1\"}[10s])",
          "resets(container_cpu_usage_seconds_total[16s])",
          "histogram_quantile(0.9, sum by (le, cluster) (rate(http_request_duration_seconds_bucket[10s])))",
          "rate(http_request_duration_seconds_sum[10s]) / rate(http_request_duration_seconds_count[10s])",
          "topk(3, container_memory_usage_bytes)",
          "avg_over_time(container_memory_usage_bytes{namespace=\"kube-system\"}[10s])",
          "max by (cluster) (container_memory_usage_bytes) / on (cluster) group_left"
              + " sum by (cluster) (container_memory_usage_bytes)",
          "changes(kube_pod_container_status_restarts_total[16s]) > 0",
          "count by (job, cluster) (up == 1)",
          "scrape_samples_scraped",
          "count by (mode) (node_cpu_seconds_total)",
          "node_uname_info",
          "count(node_filesystem_size_bytes) by (job)");

  @Test
  void promtoolGetsTheSameAnswersFromBoth() throws Exception {
    PrometheusPeer.assumeInstalled();
    Promtool.assumeInstalled();
    assumeTrue(
        Files.isExecutable(NODE_EXPORTER),
        "prometheus-node-exporter is not installed (.ci/run installs it)");
    int nodePort = FreePort.pick();
    Process node =
        new ProcessBuilder(
                NODE_EXPORTER.toString(),
                "--web.listen-address=127.0.0.1:" + nodePort,
                "--collector.disable-defaults",
                "--collector.cpu",
                "--collector.filesystem",
                "--collector.uname",
                "--collector.meminfo")
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("node.log").toFile())
            .start();
    List<SyntheticExporter> exporters = new ArrayList<>();
    try {
      for (int i = 1; i <= 3; i++) {
        exporters.add(new SyntheticExporter(TICK, i));
      }
      String config = config(exporters, nodePort);
      try (PrometheusPeer prom =
              PrometheusPeer.start(dir, dir.resolve("prom"), config, Duration.ofMinutes(2));
          MeridianProcess meridian = MeridianProcess.start(dir, config)) {
        // Prometheus applies new targets only every few seconds: both must be scraping before
        // the samples begin, or one holds a first tick the other missed.
        prom.await(
            "both scraping every target",
            () ->
                scrapingAll(prom.get(UP_QUERY).body())
                    && scrapingAll(meridian.get(UP_QUERY).body()));
        exporters.forEach(SyntheticExporter::open);
        long start = System.currentTimeMillis();
        // Ten ticks of data in both, then query at the middle of a tick both have finished.
        prom.await(
            "ten ticks of samples", () -> System.currentTimeMillis() - start > 10 * TICK + 1000);
        long tick = System.currentTimeMillis() / TICK - 2;
        double at = (tick * TICK + TICK / 2) / 1000.0;
        int compared = 0;
        for (String q : QUERIES) {
          List<String> fromProm = instant(prom.port(), q, at);
          List<String> fromMeridian = instant(meridian.port(), q, at);
          assertThat(fromMeridian).as("instant %s", q).isEqualTo(fromProm);
          assertThat(fromProm).as("instant %s has an answer", q).isNotEmpty();
          List<String> rangeProm = range(prom.port(), q, at - 6 * TICK / 1000.0, at);
          List<String> rangeMeridian = range(meridian.port(), q, at - 6 * TICK / 1000.0, at);
          assertThat(rangeMeridian).as("range %s", q).isEqualTo(rangeProm);
          compared++;
        }
        assertThat(compared).isEqualTo(QUERIES.size());
      }
    } finally {
      exporters.forEach(SyntheticExporter::close);
      node.destroy();
      node.waitFor(10, TimeUnit.SECONDS);
      node.destroyForcibly();
    }
  }

  private static final String UP_QUERY =
      "/api/v1/query?query=count(up%7Bjob%3D%22kubernetes-pods%22%7D%3D%3D1)";

  private static boolean scrapingAll(String upAnswer) {
    return upAnswer.contains(",\"3\"]");
  }

  private static String config(List<SyntheticExporter> exporters, int nodePort) {
    StringBuilder c = new StringBuilder(SyntheticExporter.podsScrapeConfig(exporters));
    c.append(
        """
          - job_name: node
            scrape_interval: 1s
            static_configs:
              - targets: ['127.0.0.1:%d']
        """
            .formatted(nodePort));
    return c.toString();
  }

  private static List<String> instant(int port, String q, double at) throws Exception {
    return Promtool.instant(port, q, at);
  }

  private static List<String> range(int port, String q, double start, double end) throws Exception {
    return Promtool.range(port, q, start, end, TICK / 1000 + "s");
  }
}
