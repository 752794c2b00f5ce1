package io.meridian.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meridian.testing.MeridianProcess;
import io.meridian.testing.PrometheusPeer;
import io.meridian.testing.Promtool;
import io.meridian.testing.SyntheticExporter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Debian's Prometheus 2.42 scrapes three synthetic Kubernetes nodes and remote-writes into Meridian
 * with the multi-cluster guide's {@code remote_write} block, unchanged but for the url and the
 * token file. Meridian then holds exactly the two metrics the keep rule lets through, with their
 * labels, and {@code promtool} gets the same answers from both for them: remote write carries the
 * samples Prometheus stored, timestamps included.
 */
class RemoteWriteFromPrometheusIT {
  private static final long TICK = 2000;

  @TempDir Path dir;

  private static final List<String> QUERIES =
      List.of(
          "sum(rate(container_cpu_usage_seconds_total{cluster=~\"cluster1|cluster2\"}[5m])) by"
              + " (cluster)",
          "container_cpu_usage_seconds_total",
          "sum by (cluster, namespace) (rate(container_cpu_usage_seconds_total[10s]))",
          "container_memory_usage_bytes",
          "topk(3, container_memory_usage_bytes)");

  @Test
  void prometheusRemoteWritesTheGuidesMetricsIntoMeridian() throws Exception {
    PrometheusPeer.assumeInstalled();
    Promtool.assumeInstalled();
    List<SyntheticExporter> exporters = new ArrayList<>();
    try {
      for (int i = 1; i <= 3; i++) {
        exporters.add(new SyntheticExporter(TICK, i));
      }
      Path token = dir.resolve("token");
      Files.writeString(token, "s3cret\n");
      try (MeridianProcess meridian =
              MeridianProcess.start(
                  dir, "scrape_configs: []\n", "--web.enable-remote-write-receiver");
          PrometheusPeer prom =
              PrometheusPeer.start(
                  dir,
                  dir.resolve("prom"),
                  config(exporters, meridian.port(), token),
                  Duration.ofMinutes(2))) {
        prom.await("scraping every target", () -> prom.get(UP_QUERY).body().contains(",\"3\"]"));
        exporters.forEach(SyntheticExporter::open);
        long start = System.currentTimeMillis();
        prom.await("ten ticks of samples", () -> System.currentTimeMillis() - start > 10 * TICK);
        long tick = System.currentTimeMillis() / TICK - 2;
        double at = (tick * TICK + TICK / 2) / 1000.0;
        // Remote write sends each series in order: once every series has a sample past the
        // query's time in Meridian, everything up to it has arrived.
        prom.await(
            "every series past the query time in Meridian",
            () -> everySeriesPast(meridian, at + TICK / 1000.0));

        assertThat(names(meridian))
            .containsExactly("container_cpu_usage_seconds_total", "container_memory_usage_bytes");
        for (String q : QUERIES) {
          List<String> fromProm = Promtool.instant(prom.port(), q, at);
          assertThat(fromProm).as("instant %s has an answer", q).isNotEmpty();
          assertThat(Promtool.instant(meridian.port(), q, at))
              .as("instant %s", q)
              .isEqualTo(fromProm);
          double from = at - 6 * TICK / 1000.0;
          String step = TICK / 1000 + "s";
          assertThat(Promtool.range(meridian.port(), q, from, at, step))
              .as("range %s", q)
              .isEqualTo(Promtool.range(prom.port(), q, from, at, step));
        }
      }
    } finally {
      exporters.forEach(SyntheticExporter::close);
    }
  }

  private static final String UP_QUERY =
      "/api/v1/query?query=count(up%7Bjob%3D%22kubernetes-pods%22%7D%3D%3D1)";

  private static boolean everySeriesPast(MeridianProcess m, double seconds) throws Exception {
    String q =
        "count(container_cpu_usage_seconds_total) == count(timestamp(container_cpu_usage_seconds_total) > "
            + seconds
            + ")";
    String body =
        m.get("/api/v1/query?query=" + URLEncoder.encode(q, StandardCharsets.UTF_8)).body();
    return new ObjectMapper().readTree(body).path("data").path("result").size() == 1;
  }

  private static List<String> names(MeridianProcess m) throws Exception {
    JsonNode data =
        new ObjectMapper().readTree(m.get("/api/v1/label/__name__/values").body()).path("data");
    List<String> out = new ArrayList<>();
    data.forEach(n -> out.add(n.asText()));
    return out;
  }

  /** The guide's remote_write block, unchanged but for the url and the token file. */
  private static String config(List<SyntheticExporter> exporters, int meridianPort, Path token) {
    StringBuilder c = new StringBuilder(SyntheticExporter.podsScrapeConfig(exporters));
    c.append(
        """
        remote_write:
        - url: http://127.0.0.1:%d/api/v1/receive
          bearer_token_file: %s
          queue_config:
            max_shards: 10
          write_relabel_configs:
          - source_labels: [__name__]
            regex: 'container_cpu_usage_seconds_total|container_memory_usage_bytes'
            action: keep
        """
            .formatted(meridianPort, token));
    return c.toString();
  }
}
