package io.meridian.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.testing.FreePort;
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
 * Meridian's {@code remote_read} client against real remote read servers: a Meridian server with no
 * data of its own reads (a) another Meridian's and (b) Debian's Prometheus 2.42's {@code
 * /api/v1/read}, both streaming XOR chunks, and answers PromQL, instant and range, exactly as the
 * remote answers it (against Prometheus, queries whose answer does not depend on the engine's
 * {@code rate} extrapolation, where Meridian follows Prometheus 3). The series API sees remote
 * series and reports a failing remote as a warning; {@code /federate} serves only local data, as
 * Prometheus's does.
 */
class RemoteReadClientIT {
  private static final long TICK = 2000;

  /** The remote's data, raw and aggregated: equal whichever engine evaluates it. */
  private static final List<String> DATA_QUERIES =
      List.of(
          "container_cpu_usage_seconds_total",
          "container_cpu_usage_seconds_total[12s]",
          "sum by (namespace) (container_cpu_usage_seconds_total)",
          "histogram_quantile(0.9, sum by (le) (http_request_duration_seconds_bucket))",
          "up");

  /**
   * Rates too, asked only of a Meridian source: near a counter's start Meridian extrapolates as
   * Prometheus 3 does, not as 2.42 (docs/promql.md), whatever store the samples come from.
   */
  private static final List<String> ALL_QUERIES =
      java.util.stream.Stream.concat(
              DATA_QUERIES.stream(),
              java.util.stream.Stream.of(
                  "rate(container_cpu_usage_seconds_total[10s])",
                  "sum by (namespace) (rate(container_cpu_usage_seconds_total[10s]))",
                  "histogram_quantile(0.9, sum by (le)"
                      + " (rate(http_request_duration_seconds_bucket[10s])))"))
          .toList();

  @TempDir Path dir;

  @Test
  void meridianReadsAnotherMeridian() throws Exception {
    Promtool.assumeInstalled();
    try (SyntheticExporter exporter = new SyntheticExporter(TICK, 1);
        MeridianProcess source =
            MeridianProcess.start(dir, SyntheticExporter.podsScrapeConfig(List.of(exporter)))) {
      exporter.open();
      readerAnswersAsTheSource(source.port(), ALL_QUERIES);
    }
  }

  @Test
  void meridianReadsPrometheus() throws Exception {
    PrometheusPeer.assumeInstalled();
    Promtool.assumeInstalled();
    try (SyntheticExporter exporter = new SyntheticExporter(TICK, 2);
        PrometheusPeer prom =
            PrometheusPeer.start(
                dir,
                dir.resolve("prom"),
                SyntheticExporter.podsScrapeConfig(List.of(exporter)),
                Duration.ofMinutes(2))) {
      exporter.open();
      readerAnswersAsTheSource(prom.port(), DATA_QUERIES);
    }
  }

  private void readerAnswersAsTheSource(int sourcePort, List<String> queries) throws Exception {
    int deadPort = FreePort.pick();
    String config =
        """
        remote_read:
          - url: http://127.0.0.1:SOURCE/api/v1/read
            name: source
            read_recent: true
          - url: http://127.0.0.1:DEAD/api/v1/read
            name: gone
            read_recent: true
            remote_timeout: 5s
            required_matchers: {job: gone}
        scrape_configs: []
        """
            .replace("SOURCE", Integer.toString(sourcePort))
            .replace("DEAD", Integer.toString(deadPort));
    try (MeridianProcess reader = MeridianProcess.start(dir, config)) {
      awaitData(reader);
      long tick = System.currentTimeMillis() / TICK - 2;
      double at = (tick * TICK + TICK / 2) / 1000.0;
      for (String q : queries) {
        List<String> own = Promtool.instant(sourcePort, q, at);
        assertThat(own).as("instant %s has an answer at the source", q).isNotEmpty();
        assertThat(Promtool.instant(reader.port(), q, at)).as("instant %s", q).isEqualTo(own);
        if (q.endsWith("]")) {
          continue; // a range vector has no range query
        }
        double from = at - 3 * TICK / 1000.0;
        String step = TICK / 1000 + "s";
        assertThat(Promtool.range(reader.port(), q, from, at, step))
            .as("range %s", q)
            .isEqualTo(Promtool.range(sourcePort, q, from, at, step));
      }
      String series = reader.get("/api/v1/series?match[]=up").body();
      assertThat(series).contains("\"job\":\"kubernetes-pods\"").doesNotContain("warnings");
      // Only a selector with the required matcher asks the dead remote; its failure is a warning.
      var gone = reader.get("/api/v1/series?match[]=up%7Bjob%3D%22gone%22%7D");
      assertThat(gone.statusCode()).isEqualTo(200);
      assertThat(gone.body())
          .contains("\"data\":[]")
          .contains("remote_read gone: error sending request: Post")
          .contains("connection refused");
      assertThat(reader.get("/federate?match[]=up").body()).doesNotContain("kubernetes-pods");
    }
  }

  /**
   * Polls (bounded, on the real clock: the sources scrape in real time) until the reader sees six
   * ticks of the source's data through remote read.
   */
  private static void awaitData(MeridianProcess reader) throws Exception {
    long deadline = System.currentTimeMillis() + 60_000;
    String q =
        "/api/v1/query?query=count_over_time(container_cpu_usage_seconds_total%5B1m%5D)%3E%3D6";
    while (!reader.get(q).body().contains("\"result\":[{")) {
      assertThat(System.currentTimeMillis())
          .as("the reader sees six ticks of the source within a minute; log:%n%s", reader.logText())
          .isLessThan(deadline);
      java.util.concurrent.locks.LockSupport.parkNanos(200_000_000L); // polling pace
    }
  }
}
