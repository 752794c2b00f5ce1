package io.meridian.tsdb;

import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.model.Matcher;
import io.meridian.storage.Querier;
import io.meridian.storage.SampleIterator;
import io.meridian.storage.SelectHints;
import io.meridian.storage.SeriesSet;
import io.meridian.testing.ManualClock;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A child JVM appends and commits in a loop and is killed with SIGKILL; after restart every batch
 * it reported committed is there, every rolled-back batch is not, and the one batch in flight is
 * all there or not at all.
 */
class TsdbCrashIT {
  @TempDir Path dir;

  @Test
  void killedMidWorkloadLosesNothingCommitted() throws Exception {
    for (int round = 0; round < 3; round++) {
      int lastReported = runAndKill(200 + round * 150);
      verify(lastReported);
    }
  }

  /**
   * Starts the workload, lets it report {@code atLeast} outcomes, kills it; returns the last batch
   * whose outcome (commit or rollback) it reported.
   */
  private int runAndKill(int atLeast) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p =
        new ProcessBuilder(
                java,
                "--enable-native-access=ALL-UNNAMED",
                "-cp",
                System.getProperty("java.class.path"),
                CrashWorkload.class.getName(),
                dir.toString())
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    int last = 0;
    int seen = 0;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while (seen < atLeast && System.nanoTime() < deadline && (line = r.readLine()) != null) {
        seen++;
        last = Integer.parseInt(line.substring(line.indexOf(' ') + 1));
      }
      p.toHandle().destroyForcibly(); // SIGKILL; unlike Process.destroy it leaves our pipe open
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
      // What it printed before dying is still in the pipe: those batches were committed too.
      while ((line = r.readLine()) != null) {
        last = Integer.parseInt(line.substring(line.indexOf(' ') + 1));
      }
    }
    assertThat(seen).as("workload reported progress").isGreaterThanOrEqualTo(atLeast);
    return last;
  }

  private void verify(int lastReported) throws Exception {
    try (Tsdb db = Tsdb.open(dir, TsdbOptions.defaults(), new ManualClock(0));
        Querier q = db.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
      Map<String, Set<Long>> bySeries = new HashMap<>();
      SeriesSet set =
          q.select(
              true,
              SelectHints.range(Long.MIN_VALUE, Long.MAX_VALUE),
              List.of(Matcher.equal("__name__", "crash")));
      SampleIterator it = null;
      while (set.next()) {
        Set<Long> ks = new HashSet<>();
        it = set.at().iterator(it);
        while (it.next()) {
          long k = Math.floorDiv(it.t(), 1000L);
          ks.add(k);
          assertThat(it.v()).isEqualTo((double) k);
        }
        bySeries.put(set.at().labels().get("s"), ks);
      }
      assertThat(bySeries).hasSize(CrashWorkload.SERIES);
      for (Set<Long> ks : bySeries.values()) {
        for (long k = 1; k <= lastReported; k++) {
          assertThat(ks.contains(k)).as("batch %d (reported)", k).isEqualTo(k % 7 != 0);
        }
        assertThat(ks.stream().filter(k -> k > lastReported + 1)).as("batches after").isEmpty();
      }
      long inFlight =
          bySeries.values().stream().filter(ks -> ks.contains((long) lastReported + 1)).count();
      assertThat(inFlight)
          .as("the batch in flight is whole or absent")
          .isIn(0L, (long) CrashWorkload.SERIES);
    }
  }
}
