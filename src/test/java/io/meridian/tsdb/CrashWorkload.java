package io.meridian.tsdb;

import io.meridian.model.Labels;
import io.meridian.storage.Appender;
import io.meridian.testing.ManualClock;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * The child process of {@link TsdbCrashIT}: appends batch after batch into a TSDB, committing most
 * and rolling back every seventh, and reports each outcome on stdout after it happened, until it is
 * killed (or after a bound).
 */
public final class CrashWorkload {
  static final int SERIES = 10;

  private CrashWorkload() {}

  public static void main(String[] args) throws Exception {
    PrintStream out = System.out;
    try (Tsdb db = Tsdb.open(Path.of(args[0]), TsdbOptions.defaults(), new ManualClock(0))) {
      // Go on after what an earlier run left: batch k is at time k seconds.
      long maxT = db.head().maxTime();
      int first = maxT == Long.MIN_VALUE ? 1 : (int) (maxT / 1000) + 1;
      for (int k = first; k <= first + 1_000_000; k++) {
        Appender app = db.appender();
        for (int s = 0; s < SERIES; s++) {
          app.append(Labels.of("__name__", "crash", "s", Integer.toString(s)), k * 1000L, k);
        }
        if (k % 7 == 0) {
          app.rollback();
          out.println("rolledback " + k);
        } else {
          app.commit();
          out.println("committed " + k);
        }
        out.flush();
      }
    }
  }
}
