package io.meridian.tsdb;

import io.meridian.model.Labels;
import io.meridian.model.Matcher;
import io.meridian.storage.Appender;
import io.meridian.storage.ChunkQuerier;
import io.meridian.storage.Querier;
import io.meridian.storage.Queryable;
import io.meridian.storage.SampleIterator;
import io.meridian.storage.SelectHints;
import io.meridian.storage.SeriesSet;
import io.meridian.testing.TempDirs;
import io.meridian.tsdb.block.Block;
import io.meridian.tsdb.block.BlockMeta;
import io.meridian.tsdb.block.BlockWriter;
import io.meridian.tsdb.head.Head;
import io.meridian.tsdb.head.HeadOptions;
import io.meridian.tsdb.head.Journal;
import io.meridian.util.Clock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Selecting 10k series over 2h (480 samples each, 15 s apart) and decoding every sample, from a
 * block on disk and from the head. Score is ns per sample decoded. Run: {@code ./dev bench
 * SelectBench -f 1}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SelectBench {
  static final int SERIES = 10_000;
  static final int SAMPLES = 480;
  static final long START = 1_700_000_000_000L / 7_200_000 * 7_200_000;

  private Path dir;
  private Head head;
  private Block block;
  private final List<Matcher> all = List.of(Matcher.regex("__name__", "container_.*"));

  @Setup(Level.Trial)
  public void setup() throws Exception {
    head = new Head(HeadOptions.defaults(), Journal.NONE);
    SplittableRandom r = new SplittableRandom(7);
    Labels[] ls = new Labels[SERIES];
    double[] v = new double[SERIES];
    for (int i = 0; i < SERIES; i++) {
      ls[i] =
          Labels.of(
              "__name__", "container_cpu_usage_seconds_total",
              "namespace", "ns" + (i % 17),
              "pod", "pod-" + i,
              "cluster", "cluster" + (i % 3));
      v[i] = r.nextDouble(1e4);
    }
    for (int k = 0; k < SAMPLES; k++) {
      Appender app = head.appender();
      for (int i = 0; i < SERIES; i++) {
        v[i] += r.nextDouble(0.5, 30);
        app.append(ls[i], START + k * 15_000L + r.nextInt(-5, 5), Math.round(v[i] * 1e9) / 1e9);
      }
      app.commit();
    }
    dir = Files.createTempDirectory("meridian-select");
    BlockMeta meta;
    try (ChunkQuerier q = head.chunkQuerier(START, START + 7_200_000)) {
      meta =
          new BlockWriter(dir, Clock.system())
              .write(q, START - 7_200_000, START + 7_200_000 * 2, 1, List.of());
    }
    block = Block.open(dir.resolve(meta.ulid().value()));
  }

  private double selectAll(Queryable store) throws Exception {
    double sum = 0;
    try (Querier q = store.querier(START, START + 7_200_000)) {
      SeriesSet set = q.select(false, SelectHints.range(START, START + 7_200_000), all);
      SampleIterator it = null;
      while (set.next()) {
        it = set.at().iterator(it);
        while (it.next()) {
          sum += it.v();
        }
      }
    }
    return sum;
  }

  @Benchmark
  @OperationsPerInvocation(SERIES * SAMPLES)
  public double block() throws Exception {
    return selectAll(block);
  }

  @Benchmark
  @OperationsPerInvocation(SERIES * SAMPLES)
  public double head() throws Exception {
    return selectAll(head);
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    block.close();
    TempDirs.delete(dir);
  }
}
