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
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Appenders, queriers and compaction at once: no reader fails (blocks and head chunk files are
 * released only when readers are done) and no committed sample is lost.
 */
class TsdbConcurrencyTest {
  @TempDir Path dir;

  @Test
  void appendsQueriesAndCompactionsRunTogether() throws Exception {
    TsdbOptions opts = TsdbOptions.defaults().withBlockDuration(Duration.ofMinutes(30));
    int writers = 2;
    int seriesPerWriter = 20;
    int steps = 2_000; // 15 s apart: about 8 h, so many blocks are cut and compacted
    ExecutorService pool = Executors.newFixedThreadPool(writers + 1);
    AtomicBoolean done = new AtomicBoolean();
    // Writers stay within 10 simulated minutes of each other: further apart, the one behind
    // would be out of bounds (half a block range), as in Prometheus.
    java.util.concurrent.Phaser lockstep = new java.util.concurrent.Phaser(writers);
    try (Tsdb db = Tsdb.open(dir, opts, new ManualClock(0))) {
      List<Future<?>> writing = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        int id = w;
        writing.add(
            pool.submit(() -> {
              for (int k = 0; k < steps; k++) {
                Appender app = db.appender();
                for (int s = 0; s < seriesPerWriter; s++) {
                  app.append(Labels.of("__name__", "c", "w", "" + id, "s", "" + s), k * 15_000L, k);
                }
                app.commit();
                if (k % 40 == 39) {
                  lockstep.awaitAdvanceInterruptibly(lockstep.arrive(), 60, TimeUnit.SECONDS);
                }
              }
              lockstep.arriveAndDeregister();
              return null;
            }));
      }
      Future<Long> reading =
          pool.submit(() -> {
            long queries = 0;
            while (!done.get() && queries < 100_000) {
              try (Querier q = db.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
                SeriesSet set =
                    q.select(
                        true,
                        SelectHints.range(Long.MIN_VALUE, Long.MAX_VALUE),
                        List.of(Matcher.equal("__name__", "c")));
                SampleIterator it = null;
                while (set.next()) {
                  it = set.at().iterator(it);
                  long prev = Long.MIN_VALUE;
                  while (it.next()) {
                    assertThat(it.t()).isGreaterThan(prev);
                    prev = it.t();
                  }
                }
              }
              queries++;
            }
            return queries;
          });
      int compactions = 0;
      while (!writing.stream().allMatch(Future::isDone) && compactions < 10_000) {
        db.compact();
        compactions++;
      }
      for (Future<?> f : writing) {
        f.get(120, TimeUnit.SECONDS);
      }
      done.set(true);
      assertThat(reading.get(120, TimeUnit.SECONDS)).isPositive();
      db.compact();
      assertThat(db.blocks()).isNotEmpty();

      try (Querier q = db.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
        SeriesSet set =
            q.select(
                true,
                SelectHints.range(Long.MIN_VALUE, Long.MAX_VALUE),
                List.of(Matcher.equal("__name__", "c")));
        int series = 0;
        SampleIterator it = null;
        while (set.next()) {
          it = set.at().iterator(it);
          int n = 0;
          while (it.next()) {
            assertThat(it.t()).isEqualTo(n * 15_000L);
            n++;
          }
          assertThat(n).as("samples of %s", set.at().labels()).isEqualTo(steps);
          series++;
        }
        assertThat(series).isEqualTo(writers * seriesPerWriter);
      }
    } finally {
      done.set(true);
      pool.shutdownNow();
    }
  }
}
