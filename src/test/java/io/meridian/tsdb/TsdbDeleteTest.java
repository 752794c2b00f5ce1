package io.meridian.tsdb;

import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.model.Labels;
import io.meridian.model.Matcher;
import io.meridian.storage.Appender;
import io.meridian.storage.Querier;
import io.meridian.storage.SampleIterator;
import io.meridian.storage.SelectHints;
import io.meridian.storage.SeriesSet;
import io.meridian.testing.ManualClock;
import io.meridian.tsdb.block.Block;
import io.meridian.tsdb.block.BlockMeta;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Deleting series ranges: tombstones in the head (WAL) and in blocks, as Prometheus's admin API.
 */
class TsdbDeleteTest {
  private static final long HOUR = 3_600_000L;
  private static final long STEP = 15_000;
  @TempDir Path dir;
  private final ManualClock clock = new ManualClock(0);

  private static final Labels A = Labels.of("__name__", "up", "job", "a");
  private static final Labels B = Labels.of("__name__", "up", "job", "b");
  private static final List<Matcher> JOB_A = List.of(Matcher.equal("job", "a"));

  private static void fill(Tsdb db, long from, long to) throws Exception {
    Appender app = db.appender();
    for (long t = from; t < to; t += STEP) {
      app.append(A, t, 1);
      app.append(B, t, 2);
    }
    app.commit();
  }

  private static List<Long> times(Tsdb db, String job) throws IOException {
    List<Long> out = new ArrayList<>();
    try (Querier q = db.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
      SeriesSet set =
          q.select(
              true,
              SelectHints.range(Long.MIN_VALUE, Long.MAX_VALUE),
              List.of(Matcher.equal("job", job)));
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

  /** Every step in [from, to) but those in [delFrom, delTo]. */
  private static List<Long> expected(long from, long to, long delFrom, long delTo) {
    return LongStream.iterate(from, t -> t < to, t -> t + STEP)
        .filter(t -> t < delFrom || t > delTo)
        .boxed()
        .toList();
  }

  @Test
  void deletedRangesVanishFromHeadAndBlocksAndStayDeletedAfterRestart() throws Exception {
    long end = 5 * HOUR;
    long delFrom = HOUR + 7_000; // not on a sample: the sample at 1h+15s is the first to go
    long delTo = 3 * HOUR + 30_000; // inside the head after compaction
    try (Tsdb db = Tsdb.open(dir, TsdbOptions.defaults(), clock)) {
      fill(db, 0, end);
      db.compact(); // [0,2h) in a block; the rest in the head
      assertThat(db.blocks()).hasSize(1);
      assertThat(db.delete(delFrom, delTo, JOB_A)).isEqualTo(2); // head and block
      assertThat(times(db, "a")).isEqualTo(expected(0, end, delFrom, delTo));
      assertThat(times(db, "b")).isEqualTo(expected(0, end, 1, 0));
      assertThat(db.blocks().getFirst().meta().numTombstones()).isEqualTo(1);
      assertThat(db.blocks().getFirst().dir().resolve("tombstones")).exists();
    }
    try (Tsdb db = Tsdb.open(dir, TsdbOptions.defaults(), clock)) { // WAL and tombstones file
      assertThat(times(db, "a")).isEqualTo(expected(0, end, delFrom, delTo));
      assertThat(times(db, "b")).isEqualTo(expected(0, end, 1, 0));
      Path old = db.blocks().getFirst().dir();
      assertThat(db.cleanTombstones()).isEqualTo(1);
      Block cleaned = db.blocks().getFirst();
      assertThat(cleaned.dir()).isNotEqualTo(old);
      assertThat(old).doesNotExist();
      BlockMeta m = cleaned.meta();
      assertThat(m.numTombstones()).isZero();
      assertThat(m.numSamples()).isEqualTo(2 * 480 - (2 * HOUR - HOUR - STEP) / STEP);
      assertThat(times(db, "a")).isEqualTo(expected(0, end, delFrom, delTo));
      fill(db, end, 7 * HOUR);
      db.compact(); // the head's deleted range is cut into a block without it
      assertThat(times(db, "a")).isEqualTo(expected(0, 7 * HOUR, delFrom, delTo));
    }
    try (Tsdb db = Tsdb.open(dir, TsdbOptions.defaults(), clock)) {
      assertThat(times(db, "a")).isEqualTo(expected(0, 7 * HOUR, delFrom, delTo));
    }
  }

  @Test
  void deletingEverythingOfASeriesHidesItAndCleaningDropsAnEmptiedBlock() throws Exception {
    try (Tsdb db = Tsdb.open(dir, TsdbOptions.defaults(), clock)) {
      fill(db, 0, 5 * HOUR);
      db.compact();
      long n = db.delete(Long.MIN_VALUE, Long.MAX_VALUE, List.of(Matcher.regex("job", "a|b")));
      assertThat(n).isEqualTo(4);
      assertThat(times(db, "a")).isEmpty();
      assertThat(times(db, "b")).isEmpty();
      assertThat(db.cleanTombstones()).isEqualTo(1);
      assertThat(db.blocks()).isEmpty();
      try (var s = Files.list(dir)) {
        assertThat(s.filter(p -> Files.exists(p.resolve(BlockMeta.FILE)))).isEmpty();
      }
    }
  }

  @Test
  void aRangeWithoutDataOrMatchingSeriesMarksNothing() throws Exception {
    try (Tsdb db = Tsdb.open(dir, TsdbOptions.defaults(), clock)) {
      fill(db, 0, HOUR);
      assertThat(db.delete(2 * HOUR, 3 * HOUR, JOB_A)).isZero();
      assertThat(db.delete(0, HOUR, List.of(Matcher.equal("job", "c")))).isZero();
      assertThat(times(db, "a")).hasSize(240);
    }
  }
}
