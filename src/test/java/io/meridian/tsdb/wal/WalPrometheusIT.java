package io.meridian.tsdb.wal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.meridian.model.Labels;
import io.meridian.testing.PrometheusPeer;
import io.meridian.tsdb.wal.Records.RefSeries;
import io.meridian.tsdb.wal.Records.SampleBatch;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.UUID;
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
  private static final Duration BUDGET = Duration.ofSeconds(50);
  private static final int BULK = 3000;

  @TempDir Path tmp;

  private PrometheusPeer prometheus;

  @BeforeEach
  void requirePrometheus() {
    PrometheusPeer.assumeInstalled();
  }

  @AfterEach
  void stopPrometheus() {
    if (prometheus != null) {
      prometheus.close();
    }
  }

  @Test
  void meridianReadsTheWalPrometheusWrote() throws Exception {
    Path data = tmp.resolve("data");
    prometheus =
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
            BUDGET);
    prometheus.awaitQuery("count_over_time(up[1m])", -1, r -> r.path(1).asDouble() >= 4);
    prometheus.stop();

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

    prometheus = PrometheusPeer.start(tmp, data, "global:\n  scrape_interval: 1s\n", BUDGET);
    long at = t0 + 60_000 + 4 * 15_000;
    JsonNode result = prometheus.awaitQuery("meridian_wal_test", at, r -> true);
    List<String> parts = new ArrayList<>();
    for (JsonNode series : result) {
      parts.add(
          series.path("metric").path("part").asText()
              + "="
              + series.path("value").path(1).asText());
    }
    assertThat(parts).containsExactlyInAnyOrder("checkpoint=4", "segment=4");
    JsonNode count = prometheus.query("count(meridian_wal_bulk)", at);
    assertThat(count.get(0).path("value").path(1).asText()).isEqualTo(Integer.toString(BULK));
    assertThat(prometheus.logText())
        .contains("WAL checkpoint loaded", "WAL replay completed")
        .doesNotContain("level=warn", "level=error");
    JsonNode early = prometheus.query("meridian_wal_test", t0 + 3 * 15_000);
    assertThat(early).hasSize(1);
    assertThat(early.get(0).path("metric").path("part").asText()).isEqualTo("checkpoint");
    assertThat(early.get(0).path("value").path(1).asText()).isEqualTo("3");
    prometheus.stop();

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
}
