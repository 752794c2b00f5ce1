package io.meridian.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.testing.MeridianProcess;
import io.meridian.testing.PrometheusPeer;
import io.meridian.testing.Promtool;
import io.meridian.testing.SyntheticExporter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Debian's Prometheus 2.42, with no scrapes of its own, reads Meridian through {@code remote_read}
 * ({@code POST /api/v1/read}, the SAMPLES response Prometheus's client asks for): its answers equal
 * Meridian's own. (External labels on read series: {@code ReadServerTest}.)
 */
class RemoteReadFromPrometheusIT {
  private static final long TICK = 2000;

  @TempDir Path dir;

  private static final List<String> QUERIES =
      List.of(
          "container_cpu_usage_seconds_total",
          "sum by (namespace) (rate(container_cpu_usage_seconds_total[10s]))",
          "histogram_quantile(0.9, sum by (le) (rate(http_request_duration_seconds_bucket[10s])))",
          "up");

  @Test
  void prometheusReadsMeridianRemotely() throws Exception {
    PrometheusPeer.assumeInstalled();
    Promtool.assumeInstalled();
    try (SyntheticExporter exporter = new SyntheticExporter(TICK, 1)) {
      String meridianConfig = SyntheticExporter.podsScrapeConfig(List.of(exporter));
      try (MeridianProcess meridian = MeridianProcess.start(dir, meridianConfig);
          PrometheusPeer prom =
              PrometheusPeer.start(
                  dir,
                  dir.resolve("prom"),
                  """
                  remote_read:
                  - url: http://127.0.0.1:%d/api/v1/read
                    read_recent: true
                  scrape_configs: []
                  """
                      .formatted(meridian.port()),
                  Duration.ofMinutes(2))) {
        exporter.open();
        long start = System.currentTimeMillis();
        prom.await(
            "five ticks of samples", () -> System.currentTimeMillis() - start > 5 * TICK + 1000);
        long tick = System.currentTimeMillis() / TICK - 2;
        double at = (tick * TICK + TICK / 2) / 1000.0;
        for (String q : QUERIES) {
          List<String> own = Promtool.instant(meridian.port(), q, at);
          assertThat(own).as("instant %s has an answer", q).isNotEmpty();
          assertThat(Promtool.instant(prom.port(), q, at)).as("instant %s", q).isEqualTo(own);
          double from = at - 3 * TICK / 1000.0;
          String step = TICK / 1000 + "s";
          assertThat(Promtool.range(prom.port(), q, from, at, step))
              .as("range %s", q)
              .isEqualTo(Promtool.range(meridian.port(), q, from, at, step));
        }
      }
    }
  }
}
