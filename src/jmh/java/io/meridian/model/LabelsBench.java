package io.meridian.model;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * What the head does with labels on every new series and every lookup: build an 8-label set from
 * unsorted pairs, hash it, compare it. Run: {@code ./dev bench LabelsBench -f 1}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class LabelsBench {
  private String[] pairs;
  private Labels a;
  private Labels sameAsA;
  private Labels differsLast;

  @Setup
  public void setup() {
    pairs =
        new String[] {
          "__name__", "container_cpu_usage_seconds_total",
          "namespace", "kube-system",
          "pod", "coredns-5d78c9869d-abcde",
          "container", "coredns",
          "node", "node-17",
          "job", "kubernetes-pods",
          "instance", "10.0.17.4:9100",
          "cluster", "cluster2"
        };
    a = Labels.of(pairs);
    sameAsA = Labels.of(pairs.clone());
    differsLast = a.toBuilder().set("pod", "coredns-5d78c9869d-abcdf").build();
  }

  @Benchmark
  public Labels buildFromUnsortedPairs() {
    return Labels.of(pairs);
  }

  @Benchmark
  public boolean equalsEqual() {
    return a.equals(sameAsA);
  }

  @Benchmark
  public int compareNearlyEqual() {
    return a.compareTo(differsLast);
  }

  @Benchmark
  public String get() {
    return a.get("pod");
  }
}
