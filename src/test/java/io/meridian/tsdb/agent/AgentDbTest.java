package io.meridian.tsdb.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meridian.model.Labels;
import io.meridian.storage.Appender;
import io.meridian.storage.SampleRejectedException;
import io.meridian.tsdb.wal.Checkpoint;
import io.meridian.tsdb.wal.Records;
import io.meridian.tsdb.wal.Wal;
import io.meridian.tsdb.wal.WalReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentDbTest {
  @TempDir Path dir;

  /** Series labels by ref and the samples of every record in the WAL's segments, in order. */
  private record WalContents(Map<Long, Labels> series, List<String> samples) {}

  private WalContents read() throws Exception {
    Map<Long, Labels> series = new HashMap<>();
    List<String> samples = new ArrayList<>();
    Path wal = dir.resolve("wal");
    var cp = Checkpoint.latest(wal);
    if (cp.isPresent()) {
      try (WalReader r = WalReader.open(Checkpoint.dir(wal, cp.getAsInt()), 0, Integer.MAX_VALUE)) {
        collect(r, series, samples);
      }
    }
    try (WalReader r = WalReader.open(wal, 0, Integer.MAX_VALUE)) {
      collect(r, series, samples);
    }
    return new WalContents(series, samples);
  }

  private static void collect(WalReader r, Map<Long, Labels> series, List<String> samples)
      throws Exception {
    Records.SampleBatch b = new Records.SampleBatch();
    while (r.next()) {
      switch (Records.type(r.record())) {
        case SERIES -> {
          List<Records.RefSeries> rs = new ArrayList<>();
          Records.decodeSeries(r.record(), rs);
          rs.forEach(s -> series.put(s.ref(), s.labels()));
        }
        case SAMPLES -> {
          Records.decodeSamples(r.record(), b);
          for (int i = 0; i < b.size; i++) {
            samples.add(series.get(b.refs[i]) + "@" + b.ts[i] + "=" + b.vs[i]);
          }
        }
        default -> {}
      }
    }
  }

  @Test
  void commitsGoToTheWalWithTheirSeriesAndNowhereElse() throws Exception {
    Labels a = Labels.of("__name__", "a");
    Labels b = Labels.of("__name__", "b", "x", "1");
    try (AgentDb db = AgentDb.open(dir, 1 << 20)) {
      Appender app = db.appender();
      long ra = app.append(a, 1000, 1);
      app.append(b, 1000, 2);
      app.commit();
      app = db.appender();
      assertThat(app.append(ra, a, 2000, 3)).isEqualTo(ra);
      assertThat(app.sharedLabels(ra)).isSameAs(db.appender().sharedLabels(ra));
      app.commit();
      assertThat(db.newestSample()).isEqualTo(2000);
      assertThat(db.stats().samplesAppended()).isEqualTo(3);
    }
    WalContents w = read();
    assertThat(w.series().values()).containsExactlyInAnyOrder(a, b);
    assertThat(w.samples()).containsExactly(a + "@1000=1.0", b + "@1000=2.0", a + "@2000=3.0");
  }

  @Test
  void samplesOlderThanTheirSeriesNewestAreRefusedAndRepeatsIgnored() throws Exception {
    Labels a = Labels.of("__name__", "a");
    try (AgentDb db = AgentDb.open(dir, 1 << 20)) {
      Appender app = db.appender();
      app.append(a, 5000, 1);
      app.commit();
      Appender late = db.appender();
      assertThatThrownBy(() -> late.append(a, 4000, 1))
          .isInstanceOf(SampleRejectedException.class)
          .hasMessage("out of order sample");
      late.append(a, 5000, 1); // the same sample scraped again
      late.commit();
      assertThat(db.stats().outOfOrder()).isEqualTo(1);
    }
    assertThat(read().samples()).containsExactly(a + "@5000=1.0");
  }

  @Test
  void aRolledBackBatchStillLogsItsNewSeries() throws Exception {
    Labels a = Labels.of("__name__", "a");
    try (AgentDb db = AgentDb.open(dir, 1 << 20)) {
      Appender app = db.appender();
      app.append(a, 1000, 1);
      app.rollback();
      app = db.appender();
      app.append(a, 2000, 2);
      app.commit();
    }
    WalContents w = read();
    assertThat(w.series().values()).containsExactly(a);
    assertThat(w.samples()).containsExactly(a + "@2000=2.0");
  }

  @Test
  void reopeningKeepsRefsAndEachSeriesNewestTimestamp() throws Exception {
    Labels a = Labels.of("__name__", "a");
    long ref;
    try (AgentDb db = AgentDb.open(dir, 1 << 20)) {
      Appender app = db.appender();
      ref = app.append(a, 5000, 1);
      app.commit();
    }
    try (AgentDb db = AgentDb.open(dir, 1 << 20)) {
      assertThat(db.numSeries()).isEqualTo(1);
      Appender app = db.appender();
      assertThatThrownBy(() -> app.append(a, 4000, 1)).isInstanceOf(SampleRejectedException.class);
      assertThat(app.append(a, 6000, 2)).isEqualTo(ref);
      Appender fresh = db.appender();
      assertThat(fresh.append(Labels.of("__name__", "b"), 6000, 1)).isGreaterThan(ref);
      app.commit();
      fresh.commit();
    }
    assertThat(Wal.segments(dir.resolve("wal"))).hasSize(2);
  }

  @Test
  void truncationForgetsStoppedSeriesAndCheckpointsBelowTheHold() throws Exception {
    Labels stays = Labels.of("__name__", "stays");
    Labels stops = Labels.of("__name__", "stops");
    java.util.concurrent.atomic.AtomicInteger held =
        new java.util.concurrent.atomic.AtomicInteger();
    try (AgentDb db = AgentDb.open(dir, 32 << 10)) {
      var hold = db.holdWal(held::get);
      for (long t = 0; t < 4000 * 1000L; t += 1000) {
        Appender app = db.appender();
        app.append(stays, t, (double) t);
        if (t < 1000 * 1000L) {
          app.append(stops, t, (double) t);
        }
        app.commit();
      }
      assertThat(Wal.segments(dir.resolve("wal")).size()).isGreaterThan(3);
      db.truncate(2000 * 1000L); // a hold at 0 keeps every segment
      assertThat(db.numSeries()).isEqualTo(1);
      assertThat(Checkpoint.latest(dir.resolve("wal"))).isEmpty();

      held.set(db.walSegment()); // the reader caught up
      db.truncate(2000 * 1000L);
      assertThat(Checkpoint.latest(dir.resolve("wal"))).isPresent();
      assertThat(Wal.segments(dir.resolve("wal")).getFirst()).isEqualTo(held.get());
      hold.close();
    }
    // The checkpoint holds series only: the agent never sends samples from one again.
    WalContents w = read();
    assertThat(w.series().values()).contains(stays);
    assertThat(w.samples()).allMatch(s -> s.startsWith(stays.toString()));
  }
}
