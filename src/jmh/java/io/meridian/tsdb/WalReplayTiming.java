package io.meridian.tsdb;

import io.meridian.model.Labels;
import io.meridian.storage.Appender;
import io.meridian.util.Clock;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Times WAL replay: writes N series × S samples through a TSDB into {@code dir} (unless it holds
 * data already), then opens it again and reports the replay rate. The directory is kept so
 * Prometheus can be timed replaying the same WAL. Run by hand:
 *
 * <pre>
 * java -cp ... io.meridian.tsdb.WalReplayTiming /tmp/replay 100000 120
 * </pre>
 */
public final class WalReplayTiming {
  private WalReplayTiming() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    int series = Integer.parseInt(args[1]);
    int samples = Integer.parseInt(args[2]);
    long t0 = System.currentTimeMillis() - samples * 15_000L;
    if (!Files.isDirectory(dir.resolve("wal"))) {
      try (Tsdb db = Tsdb.open(dir, TsdbOptions.defaults(), Clock.system())) {
        long[] refs = new long[series];
        for (int k = 0; k < samples; k++) {
          Appender app = db.appender();
          for (int i = 0; i < series; i++) {
            Labels l =
                refs[i] == 0
                    ? Labels.of("__name__", "replay_metric", "pod", "pod-" + i, "ns", "ns" + i % 17)
                    : Labels.EMPTY;
            refs[i] = app.append(refs[i], l, t0 + k * 15_000L, i + k * 0.5);
          }
          app.commit();
        }
      }
    }
    long start = System.nanoTime();
    try (Tsdb db = Tsdb.open(dir, TsdbOptions.defaults(), Clock.system())) {
      double secs = (System.nanoTime() - start) / 1e9;
      long n = db.replayResult().samples();
      System.out.printf(
          "replayed %d series, %d samples in %.2f s: %.2f M samples/s on %d cores%n",
          db.replayResult().series(),
          n,
          secs,
          n / secs / 1e6,
          Runtime.getRuntime().availableProcessors());
    }
  }
}
