package io.meridian.tsdb.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meridian.model.Labels;
import io.meridian.testing.FreePort;
import io.meridian.tsdb.wal.Records.RefSeries;
import io.meridian.tsdb.wal.Records.SampleBatch;
import io.meridian.util.Clock;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * WALs cross between Meridian and Debian's Prometheus 2.42 both ways: Meridian replays the WAL
 * Prometheus wrote scraping itself (Snappy-compressed, its default), and Prometheus replays a
 * checkpoint and segment Meridian wrote, answering queries from them.
 */
class WalPrometheusIT {
  private static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");
  private static final Duration BUDGET = Duration.ofSeconds(50);
  private static final int BULK = 3000;

  @TempDir Path tmp;

  private final Clock clock = Clock.system();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private Process prometheus;
  private Path log;
  private int port;
  private long deadline;

  @BeforeEach
  void requirePrometheus() {
    assumeTrue(
        Files.isExecutable(PROMETHEUS),
        "Debian's prometheus is not installed (.ci/run installs the prometheus package)");
    deadline = clock.nanos() + BUDGET.toNanos();
  }

  @AfterEach
  void stopPrometheus() throws InterruptedException {
    if (prometheus != null && prometheus.isAlive()) {
      prometheus.destroyForcibly();
      prometheus.waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void meridianReadsTheWalPrometheusWrote() throws Exception {
    Path data = tmp.resolve("data");
    start(
        data,
        """
        scrape_configs:
          - job_name: self
            static_configs:
              - targets: ['127.0.0.1:%d']
        """);
    awaitQuery("count_over_time(up[1m])", r -> r.path(1).asDouble() >= 4);
    stop();

    Path wal = data.resolve("wal");
    Set<Long> upRefs = new HashSet<>();
    int upSamples = 0;
    int seriesCount = 0;
    List<RefSeries> series = new ArrayList<>();
    SampleBatch samples = new SampleBatch();
    try (WalReader r = WalReader.open(wal, 0, Integer.MAX_VALUE)) {
      while (r.next()) {
        ByteBuffer rec = r.record();
        switch (Records.type(rec)) {
          case SERIES -> {
            Records.decodeSeries(rec, series);
            seriesCount += series.size();
            for (RefSeries s : series) {
              if ("up".equals(s.labels().metricName())) {
                assertThat(s.labels().get("job")).isEqualTo("self");
                upRefs.add(s.ref());
              }
            }
          }
          case SAMPLES -> {
            Records.decodeSamples(rec, samples);
            for (int i = 0; i < samples.size; i++) {
              if (upRefs.contains(samples.refs[i])) {
                assertThat(samples.vs[i]).isEqualTo(1.0);
                upSamples++;
              }
            }
          }
          default -> {}
        }
      }
    }
    assertThat(seriesCount).as("series records in %s", wal).isGreaterThan(50);
    assertThat(upRefs).hasSize(1);
    assertThat(upSamples).isGreaterThanOrEqualTo(4);
  }

  @Test
  void prometheusReplaysACheckpointAndSegmentMeridianWrote() throws Exception {
    Path data = tmp.resolve("data");
    Path wal = data.resolve("wal");
    long t0 = 1_700_000_000_000L;
    Labels kept = Labels.of("__name__", "meridian_wal_test", "part", "checkpoint");
    Labels dropped = Labels.of("__name__", "meridian_wal_test", "part", "dropped");
    Labels later = Labels.of("__name__", "meridian_wal_test", "part", "segment");
    // Small segments, and a series record of many pages that needs a segment to itself.
    try (Wal w = Wal.open(wal, 2 * WalFormat.PAGE_SIZE, Compression.SNAPPY)) {
      w.log(Records.encodeSeries(List.of(new RefSeries(1, kept), new RefSeries(2, dropped))));
      w.log(samples(t0, 1, 2));
      w.nextSegment();
      w.log(Records.encodeSeries(List.of(new RefSeries(3, later))));
      w.log(samples(t0 + 60_000, 3));
      List<RefSeries> bulk = new ArrayList<>();
      SampleBatch bulkSamples = new SampleBatch();
      for (int i = 0; i < BULK; i++) {
        String noise =
            UUID.nameUUIDFromBytes(Integer.toString(i).getBytes(StandardCharsets.UTF_8)).toString();
        bulk.add(new RefSeries(100 + i, Labels.of("__name__", "meridian_wal_bulk", "i", noise)));
        bulkSamples.add(100 + i, t0 + 60_000, i);
      }
      w.log(List.of(Records.encodeSeries(bulk), Records.encodeSamples(bulkSamples)));
      w.log(samples(t0 + 60_000, 1));
    }
    assertThat(Wal.segments(wal).size()).isGreaterThan(3);
    Checkpoint.create(wal, 0, 0, ref -> ref != 2, t0, Compression.SNAPPY);
    Wal.deleteSegmentsBefore(wal, 1);

    start(data, "");
    long at = t0 + 60_000 + 4 * 15_000;
    JsonNode result = awaitQuery("meridian_wal_test", at, r -> true);
    List<String> parts = new ArrayList<>();
    for (JsonNode series : result) {
      parts.add(
          series.path("metric").path("part").asText()
              + "="
              + series.path("value").path(1).asText());
    }
    assertThat(parts).containsExactlyInAnyOrder("checkpoint=4", "segment=4");
    JsonNode count = query("count(meridian_wal_bulk)", at);
    assertThat(count.get(0).path("value").path(1).asText()).isEqualTo(Integer.toString(BULK));
    assertThat(logText())
        .contains("WAL checkpoint loaded", "WAL replay completed")
        .doesNotContain("level=warn", "level=error");
    JsonNode early = query("meridian_wal_test", t0 + 3 * 15_000);
    assertThat(early).hasSize(1);
    assertThat(early.get(0).path("metric").path("part").asText()).isEqualTo("checkpoint");
    assertThat(early.get(0).path("value").path(1).asText()).isEqualTo("3");
    stop();

    // Prometheus started a segment of its own after ours; all of it still reads here.
    OptionalInt cp = Checkpoint.latest(wal);
    assertThat(cp).hasValue(0);
    assertThat(Wal.segments(wal)).startsWith(1).hasSizeGreaterThan(3);
    try (WalReader r = WalReader.open(wal, 1, Integer.MAX_VALUE)) {
      int n = 0;
      while (r.next()) {
        n++;
      }
      assertThat(n).isEqualTo(5);
    }
  }

  /** Samples {@code value = i} at {@code t + 15s * i}, i in 0..4, for each ref. */
  private static byte[] samples(long t, long... refs) {
    SampleBatch b = new SampleBatch();
    for (int i = 0; i <= 4; i++) {
      for (long ref : refs) {
        b.add(ref, t + 15_000L * i, i);
      }
    }
    return Records.encodeSamples(b);
  }

  private void start(Path data, String scrapeConfig) throws Exception {
    port = FreePort.pick();
    Path config = tmp.resolve("prometheus.yml");
    Files.writeString(config, "global:\n  scrape_interval: 1s\n" + scrapeConfig.formatted(port));
    log = tmp.resolve("prometheus.log");
    prometheus =
        new ProcessBuilder(
                PROMETHEUS.toString(),
                "--config.file=" + config,
                "--storage.tsdb.path=" + data,
                "--web.listen-address=127.0.0.1:" + port)
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    prometheus.getOutputStream().close();
    await("ready", () -> get("/-/ready").statusCode() == 200);
  }

  private void stop() throws Exception {
    prometheus.destroy(); // SIGTERM: Prometheus closes its head and WAL cleanly
    assertThat(prometheus.waitFor(remainingMillis(), TimeUnit.MILLISECONDS))
        .as("prometheus stopped; log:\n%s", logText())
        .isTrue();
  }

  private JsonNode awaitQuery(String q, Predicate<JsonNode> firstValue) throws Exception {
    return awaitQuery(q, -1, firstValue);
  }

  /** Polls an instant query until it returns a series whose value passes {@code firstValue}. */
  private JsonNode awaitQuery(String q, long at, Predicate<JsonNode> firstValue) throws Exception {
    JsonNode[] out = new JsonNode[1];
    await(
        q,
        () -> {
          JsonNode r = query(q, at);
          out[0] = r;
          return r.size() > 0 && firstValue.test(r.get(0).path("value"));
        });
    return out[0];
  }

  private JsonNode query(String q, long at) throws IOException, InterruptedException {
    String path = "/api/v1/query?query=" + URLEncoder.encode(q, StandardCharsets.UTF_8);
    if (at >= 0) {
      path += "&time=" + at / 1000.0;
    }
    HttpResponse<String> resp = get(path);
    assertThat(resp.statusCode()).as("%s: %s", path, resp.body()).isEqualTo(200);
    return new ObjectMapper().readTree(resp.body()).path("data").path("result");
  }

  private HttpResponse<String> get(String path) throws IOException, InterruptedException {
    HttpRequest req =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(5))
            .build();
    return http.send(req, HttpResponse.BodyHandlers.ofString());
  }

  private interface Condition {
    boolean holds() throws Exception;
  }

  /** Polls until {@code c} holds, failing when Prometheus exits or the budget runs out. */
  private void await(String what, Condition c) throws Exception {
    while (true) {
      try {
        if (c.holds()) {
          return;
        }
      } catch (ConnectException notListeningYet) {
        // keep polling
      }
      assertThat(remainingMillis()).as("waiting for %s; log:\n%s", what, logText()).isPositive();
      // Waiting on the process paces the loop and notices if it died.
      boolean exited = prometheus.waitFor(200, TimeUnit.MILLISECONDS);
      assertThat(exited)
          .as("prometheus exited waiting for %s; log:\n%s", what, logText())
          .isFalse();
    }
  }

  private long remainingMillis() {
    return (deadline - clock.nanos()) / 1_000_000;
  }

  private String logText() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }
}
