package io.meridian.tsdb;

import io.meridian.model.Labels;
import io.meridian.storage.Appender;
import io.meridian.testing.TempDirs;
import io.meridian.util.Clock;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Measures resident memory per active series: N series of 8 labels, one sample every 15 s for the
 * given hours, appended through a TSDB with its WAL, then GC, then the process's RSS (heap,
 * off-heap and JVM together) divided by N. Not a JMH benchmark: a tool run by hand, e.g.
 *
 * <pre>
 * java -Xms16m -Xmn16m -XX:+UseSerialGC -XX:MaxHeapFreeRatio=10 -XX:MinHeapFreeRatio=1 \
 *     -cp ... io.meridian.tsdb.HeadMemoryFootprint 200000 2
 * </pre>
 */
public final class HeadMemoryFootprint {
  private HeadMemoryFootprint() {}

  public static void main(String[] args) throws Exception {
    int series = Integer.parseInt(args[0]);
    double hours = args.length > 1 ? Double.parseDouble(args[1]) : 2;
    int steps = (int) (hours * 3600 / 15);
    Path dir = Files.createTempDirectory("meridian-mem");
    long rss0 = rssKiB();
    long t0 = 1_700_000_000_000L;
    long start = System.nanoTime();
    try (Tsdb db = Tsdb.open(dir, TsdbOptions.defaults(), Clock.system())) {
      Labels[] labels = new Labels[series];
      long[] refs = new long[series];
      for (int i = 0; i < series; i++) {
        labels[i] =
            Labels.of(
                "__name__", "container_memory_usage_bytes",
                "cluster", "cluster" + (i % 3),
                "namespace", "ns" + (i % 17),
                "pod", "pod-" + i,
                "container", "app",
                "node", "node-" + (i % 100),
                "job", "kubernetes-pods",
                "instance", "10.0." + (i / 250) % 256 + "." + (i % 250) + ":9100");
      }
      double v = 1;
      for (int k = 0; k < steps; k++) {
        Appender app = db.appender();
        for (int i = 0; i < series; i++) {
          refs[i] = app.append(refs[i], labels[i], t0 + k * 15_000L, v + i % 1000 + k % 7);
          if (i % 10_000 == 9_999) {
            app.commit();
            app = db.appender();
          }
        }
        app.commit();
      }
      labels = null; // only the TSDB keeps them now
      refs = null;
      double secs = (System.nanoTime() - start) / 1e9;
      // Serial GC shrinks the old generation a step per full collection (0%, 10%, 40%, 100%).
      for (int i = 0; i < 8; i++) {
        System.gc();
      }
      long rss = rssKiB();
      long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
      System.out.printf(
          "series=%d samples/series=%d appended in %.1f s (%.2f M samples/s)%n",
          series, steps, secs, (double) series * steps / secs / 1e6);
      System.out.printf(
          "RSS %d MiB total (%d MiB at start): %.0f bytes per series; heap used %.0f bytes per"
              + " series; head series %d%n",
          rss / 1024,
          rss0 / 1024,
          rss * 1024.0 / series,
          (double) heap / series,
          db.head().numSeries());
      System.out.println(
          Files.readString(Path.of("/proc/self/status"))
              .lines()
              .filter(l -> l.startsWith("Rss") || l.startsWith("VmRSS"))
              .toList());
      if (Boolean.getBoolean("wait")) {
        System.out.println("waiting for a line on stdin (take a heap histogram now)");
        System.out.flush();
        System.in.read();
      }
    } finally {
      TempDirs.delete(dir);
    }
  }

  private static long rssKiB() throws Exception {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("\\D", ""));
      }
    }
    return -1;
  }
}
