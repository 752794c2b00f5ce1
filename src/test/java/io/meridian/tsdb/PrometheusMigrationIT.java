package io.meridian.tsdb;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.meridian.model.Labels;
import io.meridian.storage.Appender;
import io.meridian.storage.Querier;
import io.meridian.testing.PrometheusPeer;
import io.meridian.util.Clock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A data directory moves both ways between Debian's Prometheus 2.42 and Meridian: each serves all
 * of what the other left, blocks and WAL, sample for sample.
 */
class PrometheusMigrationIT {
  private static final Duration BUDGET = Duration.ofSeconds(60);
  @TempDir Path tmp;

  @BeforeEach
  void requirePrometheus() {
    PrometheusPeer.assumeInstalled();
  }

  @Test
  void meridianServesWhatPrometheusLeft() throws Exception {
    Path data = Files.createDirectories(tmp.resolve("data"));
    long now = System.currentTimeMillis();
    // An older block backfilled by promtool, then a WAL from Prometheus scraping itself.
    StringBuilder om = new StringBuilder("# TYPE old_metric gauge\n");
    long start = (now - 3 * 3_600_000L) / 1000;
    for (int i = 0; i < 4; i++) {
      for (int k = 0; k < 240; k++) {
        om.append("old_metric{i=\"").append(i).append("\"} ").append(k * 0.5 + i);
        om.append(' ').append(start + k * 15L).append('\n');
      }
    }
    om.append("# EOF\n");
    Path file = tmp.resolve("old.om");
    Files.writeString(file, om);
    run("promtool", "tsdb", "create-blocks-from", "openmetrics", file.toString(), data.toString());

    try (PrometheusPeer prometheus =
        PrometheusPeer.start(
            tmp,
            data,
            """
            global:
              scrape_interval: 1s
            scrape_configs:
              - job_name: self
                static_configs:
                  - targets: ['127.0.0.1:%1$d']
            """,
            BUDGET,
            "--web.enable-admin-api")) {
      prometheus.awaitQuery("count_over_time(up[1m])", -1, v -> v.path(1).asDouble() >= 5);
      // Tombstones both in a block (a whole series) and in the head (part of one, via the WAL).
      deleteSeries(prometheus, "old_metric{i=\"1\"}", "");
      long cut = System.currentTimeMillis() - 2_000;
      deleteSeries(prometheus, "up", "&start=0&end=" + cut / 1000.0);
      prometheus.awaitQuery("count_over_time(up[1m])", -1, v -> v.path(1).asDouble() >= 2);
      prometheus.stop();
    }
    String promtool = run("promtool", "tsdb", "dump", data.toString());
    assertThat(promtool)
        .contains("{__name__=\"old_metric\", i=\"3\"}")
        .doesNotContain("{__name__=\"old_metric\", i=\"1\"}")
        .contains("{__name__=\"up\", instance=\"127.0.0.1:");
    assertThat(promtool.lines().count()).isGreaterThan(720 + 500);
    long up = promtool.lines().filter(l -> l.startsWith("{__name__=\"up\"")).count();
    long durations =
        promtool.lines().filter(l -> l.startsWith("{__name__=\"scrape_duration_seconds\"")).count();
    assertThat(up).isPositive().isLessThan(durations); // the head's tombstone took the older ones

    // Read-only, as the tools do.
    try (DbReader db = DbReader.open(data);
        Querier q = db.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
      assertThat(db.blocks()).isNotEmpty(); // one or two: the hour may cross a 2h boundary
      assertThat(dump(q)).isEqualTo(promtool);
    }
    // Read-write, as a Meridian server takes over the directory.
    Path copy = copyTree(data, tmp.resolve("copy"));
    try (Tsdb db = Tsdb.open(copy, TsdbOptions.defaults(), Clock.system());
        Querier q = db.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
      assertThat(db.replayResult().samples()).isPositive();
      assertThat(dump(q)).isEqualTo(promtool);
    }
  }

  @Test
  void prometheusServesWhatMeridianLeft() throws Exception {
    Path data = tmp.resolve("data");
    long now = System.currentTimeMillis();
    long from = (now - 7 * 3_600_000L) / 15_000 * 15_000;
    int perSeries = 0;
    try (Tsdb db = Tsdb.open(data, TsdbOptions.defaults(), Clock.system())) {
      Appender app = db.appender();
      for (long t = from; t <= now - 30_000; t += 15_000) {
        for (int i = 0; i < 3; i++) {
          app.append(Labels.of("__name__", "migrated", "i", Integer.toString(i)), t, t / 1e5 + i);
        }
        perSeries++;
        if (perSeries % 100 == 0) {
          app.commit();
          app = db.appender();
        }
      }
      app.commit();
      db.compact();
      assertThat(db.blocks()).isNotEmpty();
    }
    String ours;
    try (DbReader db = DbReader.open(data);
        Querier q = db.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
      ours = dump(q);
    }
    assertThat(ours.lines().count()).isEqualTo(3L * perSeries);
    assertThat(run("promtool", "tsdb", "dump", data.toString())).isEqualTo(ours);

    try (PrometheusPeer prometheus = PrometheusPeer.start(tmp, data, "global: {}\n", BUDGET)) {
      JsonNode count =
          prometheus.awaitQuery("count_over_time(migrated{i=\"2\"}[8h])", now, v -> true);
      assertThat(count.get(0).path("value").path(1).asInt()).isEqualTo(perSeries);
      JsonNode series = prometheus.query("count(migrated)", now - 60_000);
      assertThat(series.get(0).path("value").path(1).asInt()).isEqualTo(3);
      prometheus.stop();
      assertThat(prometheus.logText()).doesNotContain("level=error");
    }
  }

  private static void deleteSeries(PrometheusPeer p, String match, String range) throws Exception {
    String path =
        "/api/v1/admin/tsdb/delete_series?match[]="
            + java.net.URLEncoder.encode(match, StandardCharsets.UTF_8)
            + range;
    var resp = p.post(path);
    assertThat(resp.statusCode()).as("%s: %s", path, resp.body()).isEqualTo(204);
  }

  private static String dump(Querier q) throws IOException {
    StringBuilder sb = new StringBuilder();
    SampleDump.write(q, List.of(), Long.MIN_VALUE, Long.MAX_VALUE, sb);
    return sb.toString();
  }

  private static String run(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("%s", List.of(cmd)).isZero();
    return out;
  }

  private static Path copyTree(Path from, Path to) throws IOException {
    List<Path> all;
    try (Stream<Path> s = Files.walk(from)) {
      all = new ArrayList<>(s.toList());
    }
    for (Path p : all) {
      Path target = to.resolve(from.relativize(p).toString());
      if (Files.isDirectory(p)) {
        Files.createDirectories(target);
      } else {
        Files.copy(p, target, StandardCopyOption.COPY_ATTRIBUTES);
      }
    }
    return to;
  }
}
