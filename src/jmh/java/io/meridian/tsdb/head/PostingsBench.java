package io.meridian.tsdb.head;

import io.meridian.model.Labels;
import io.meridian.tsdb.index.Postings;
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

/**
 * Reading the head's postings as a query does: a snapshot of one label pair's list (a third of a
 * 100k-series head) walked to the end. Score: ns per ref. Run: {@code ./dev bench PostingsBench -f
 * 1}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class PostingsBench {
  static final int SERIES = 100_000;

  private final MemPostings postings = new MemPostings();

  @Setup(Level.Trial)
  public void setup() {
    for (int i = 0; i < SERIES; i++) {
      postings.add(
          i + 1,
          Labels.of(
              "__name__", "m" + (i % 7),
              "cluster", "cluster" + (i % 3),
              "pod", "pod-" + i));
    }
  }

  @Benchmark
  @OperationsPerInvocation(SERIES / 3)
  public long readThird() {
    Postings p = postings.postings("cluster", "cluster1");
    long sum = 0;
    while (p.next()) {
      sum += p.at();
    }
    return sum;
  }
}
