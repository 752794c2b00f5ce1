package io.meridian.tsdb.chunk;

import io.meridian.storage.SampleIterator;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Encoding and decoding a full 120-sample chunk of a realistic counter (15 s scrapes with jitter),
 * per sample. Run: {@code ./dev bench XorChunkBench -f 1}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class XorChunkBench {
  static final int N = 120;
  private final long[] ts = new long[N];
  private final double[] vs = new double[N];
  private XorChunk chunk;
  private SampleIterator reused;

  @Setup
  public void setup() {
    SplittableRandom r = new SplittableRandom(1);
    long t = 1_700_000_000_000L;
    double v = 1000;
    for (int i = 0; i < N; i++) {
      t += 15_000 + r.nextInt(-20, 20);
      v += r.nextInt(0, 50) * 0.25;
      ts[i] = t;
      vs[i] = v;
    }
    XorEncoder e = new XorEncoder();
    for (int i = 0; i < N; i++) {
      e.append(ts[i], vs[i]);
    }
    chunk = e.toChunk();
    reused = chunk.iterator(null);
  }

  @Benchmark
  @OperationsPerInvocation(N)
  public XorChunk encode() {
    XorEncoder e = new XorEncoder();
    for (int i = 0; i < N; i++) {
      e.append(ts[i], vs[i]);
    }
    return e.toChunk();
  }

  @Benchmark
  @OperationsPerInvocation(N)
  public double decode() {
    SampleIterator it = chunk.iterator(reused);
    double sum = 0;
    while (it.next()) {
      sum += it.v() + it.t();
    }
    return sum;
  }
}
