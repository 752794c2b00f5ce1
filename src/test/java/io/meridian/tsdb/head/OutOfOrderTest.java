package io.meridian.tsdb.head;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meridian.model.Labels;
import io.meridian.model.Matcher;
import io.meridian.storage.Appender;
import io.meridian.storage.ChunkIterator;
import io.meridian.storage.ChunkQuerier;
import io.meridian.storage.ChunkSeriesSet;
import io.meridian.storage.Querier;
import io.meridian.storage.Queryable;
import io.meridian.storage.SampleIterator;
import io.meridian.storage.SampleRejectedException;
import io.meridian.storage.SampleRejectedException.Reason;
import io.meridian.storage.SelectHints;
import io.meridian.storage.SeriesSet;
import io.meridian.testing.ManualClock;
import io.meridian.tsdb.Tsdb;
import io.meridian.tsdb.TsdbOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The out-of-order window: late samples within it are kept, as Prometheus 2.39+ does. */
class OutOfOrderTest {
  private static final long MIN = 60_000;
  private static final Labels A = Labels.of("__name__", "late", "job", "a");
  @TempDir Path dir;

  private static Head head(long window) {
    return new Head(new HeadOptions(7_200_000, 120, window, true, 0), Journal.NONE);
  }

  private static void append(Appender app, long t, double v) throws SampleRejectedException {
    app.append(A, t, v);
  }

  private static void assertRejected(Appender app, long t, double v, Reason r) {
    assertThatThrownBy(() -> append(app, t, v))
        .isInstanceOfSatisfying(
            SampleRejectedException.class, e -> assertThat(e.reason()).isEqualTo(r));
  }

  private static List<Long> times(Queryable q) throws Exception {
    List<Long> out = new ArrayList<>();
    try (Querier qr = q.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
      SeriesSet set =
          qr.select(
              true,
              SelectHints.range(Long.MIN_VALUE, Long.MAX_VALUE),
              List.of(Matcher.equal("job", "a")));
      SampleIterator it = null;
      while (set.next()) {
        it = set.at().iterator(it);
        while (it.next()) {
          out.add(it.t());
        }
      }
    }
    return out;
  }

  @Test
  void lateSamplesWithinTheWindowAreKeptAndMergedInOrder() throws Exception {
    Head h = head(30 * MIN);
    Appender app = h.appender();
    for (long t = 60 * MIN; t <= 70 * MIN; t += MIN) {
      append(app, t, (double) t);
    }
    app.commit();
    Appender late = h.appender();
    append(late, 45 * MIN + 1, 1.0);
    append(late, 50 * MIN, 2.0);
    append(late, 61 * MIN + 30_000, 3.0);
    assertRejected(late, 39 * MIN, 4.0, Reason.TOO_OLD);
    late.commit();
    Appender again = h.appender();
    append(again, 50 * MIN, 2.0); // the same late sample: harmless
    assertRejected(again, 50 * MIN, 9.0, Reason.DUPLICATE);
    again.commit();

    List<Long> ts = times(h);
    assertThat(ts).isSorted().hasSize(14).contains(45 * MIN + 1, 50 * MIN, 61 * MIN + 30_000);
    assertThat(h.stats().outOfOrderAppended()).isEqualTo(3);

    // The chunk view is merged too: chunks in order, not overlapping.
    try (ChunkQuerier q = h.chunkQuerier(Long.MIN_VALUE, Long.MAX_VALUE)) {
      ChunkSeriesSet set =
          q.select(
              true,
              SelectHints.range(Long.MIN_VALUE, Long.MAX_VALUE),
              List.of(Matcher.equal("job", "a")));
      assertThat(set.next()).isTrue();
      ChunkIterator it = set.at().chunks(null);
      long prevMax = Long.MIN_VALUE;
      int samples = 0;
      while (it.next()) {
        assertThat(it.minTime()).isGreaterThan(prevMax);
        prevMax = it.maxTime();
        samples += it.chunk().numSamples();
      }
      assertThat(samples).isEqualTo(14);
    }
  }

  @Test
  void withoutAWindowLateSamplesAreOutOfOrder() throws Exception {
    Head h = head(0);
    Appender app = h.appender();
    append(app, 60 * MIN, 1);
    app.commit();
    Appender late = h.appender();
    assertRejected(late, 59 * MIN, 1, Reason.OUT_OF_ORDER);
    late.rollback();
  }

  @Test
  void lateSamplesSurviveRestartAndCompaction() throws Exception {
    TsdbOptions opts = TsdbOptions.defaults().withOutOfOrderWindow(Duration.ofMinutes(30));
    try (Tsdb db = Tsdb.open(dir, opts, new ManualClock(0))) {
      Appender app = db.appender();
      for (long t = 0; t <= 60 * MIN; t += MIN) {
        app.append(A, t, (double) t);
      }
      app.commit();
      Appender late = db.appender();
      late.append(A, 40 * MIN + 30_000, 1.0);
      late.commit();
    }
    try (Tsdb db = Tsdb.open(dir, opts, new ManualClock(0))) {
      assertThat(times(db)).contains(40 * MIN + 30_000).hasSize(62).isSorted();
      Appender more = db.appender();
      for (long t = 61 * MIN; t <= 300 * MIN; t += MIN) {
        more.append(A, t, (double) t);
      }
      more.commit();
      db.compact();
      assertThat(db.blocks()).isNotEmpty();
      assertThat(times(db)).contains(40 * MIN + 30_000).hasSize(302).isSorted();
    }
  }
}
