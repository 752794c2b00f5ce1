package io.meridian.tsdb;

import io.meridian.model.Labels;
import io.meridian.storage.Appender;
import io.meridian.storage.SampleRejectedException;
import io.meridian.testing.TempDirs;
import io.meridian.util.Clock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Appending into a TSDB with the WAL on, the way a scrape does it: a batch of samples by cached
 * series ref, then commit. The head already holds {@code series} series with 8 labels each. Score
 * is samples per second on one thread. Run: {@code ./dev bench HeadAppendBench -f 1}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class HeadAppendBench {
  static final int BATCH = 1000;

  @Param("100000")
  int series;

  /** With the WAL (a whole TSDB) or the head alone in memory, to tell their costs apart. */
  @Param({"true", "false"})
  boolean wal;

  private io.meridian.storage.AppendableStore store;

  private Path dir;
  private Tsdb db;
  private Labels[] labels;
  private long[] refs;
  private int next;
  private long t = 1_700_000_000_000L;

  @Setup(Level.Trial)
  public void setup() throws Exception {
    dir = Files.createTempDirectory("meridian-bench");
    db = Tsdb.open(dir, TsdbOptions.defaults(), Clock.system());
    store =
        wal
            ? db
            : new io.meridian.tsdb.head.Head(
                io.meridian.tsdb.head.HeadOptions.defaults(), io.meridian.tsdb.head.Journal.NONE);
    labels = new Labels[series];
    refs = new long[series];
    Appender app = store.appender();
    for (int i = 0; i < series; i++) {
      labels[i] =
          Labels.of(
              "__name__", "container_cpu_usage_seconds_total",
              "cluster", "cluster" + (i % 3),
              "namespace", "ns" + (i % 17),
              "pod", "pod-" + i,
              "container", "app",
              "node", "node-" + (i % 100),
              "job", "kubernetes-pods",
              "instance", "10.0." + (i / 250) + "." + (i % 250) + ":9100");
      refs[i] = app.append(labels[i], t, i);
    }
    app.commit();
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public void appendBatch() throws IOException, SampleRejectedException {
    Appender app = store.appender();
    for (int k = 0; k < BATCH; k++) {
      if (next == series) {
        next = 0;
        t += 15_000;
      }
      app.append(refs[next], labels[next], t + 15_000, next * 0.5 + t * 1e-9);
      next++;
    }
    app.commit();
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    db.close();
    TempDirs.delete(dir);
  }
}
