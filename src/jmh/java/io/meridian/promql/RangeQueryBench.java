package io.meridian.promql;

import io.meridian.model.Labels;
import io.meridian.storage.Appender;
import io.meridian.tsdb.head.Head;
import io.meridian.tsdb.head.HeadOptions;
import io.meridian.tsdb.head.Journal;
import io.meridian.util.Clock;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The query, {@code sum by (cluster) (rate(container_cpu_usage_seconds_total[5m]))}, as a
 * range query over 1h at a 15 s step, on 10k counter series sampled every 15 s in the head. Score
 * is milliseconds per query. Run: {@code ./dev bench RangeQueryBench -f 1}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class RangeQueryBench {
  static final long START = 1_700_000_000_000L / 7_200_000 * 7_200_000;
  static final long HOUR = 3_600_000L;

  @Param("10000")
  int series;

  @Param({
    "sum by (cluster) (rate(container_cpu_usage_seconds_total[5m]))",
    "container_cpu_usage_seconds_total{cluster=\"cluster1\"}"
  })
  String query;

  private Head head;
  private Engine engine;

  @Setup(Level.Trial)
  public void setup() throws Exception {
    head = new Head(HeadOptions.defaults(), Journal.NONE);
    SplittableRandom r = new SplittableRandom(11);
    Labels[] ls = new Labels[series];
    double[] v = new double[series];
    long[] refs = new long[series];
    for (int i = 0; i < series; i++) {
      ls[i] =
          Labels.of(
              "__name__", "container_cpu_usage_seconds_total",
              "cluster", "cluster" + (i % 3),
              "namespace", "ns" + (i % 17),
              "pod", "pod-" + i,
              "container", "app");
    }
    // 70 minutes of data so the first step's 5m window is full.
    for (long t = START - 10 * 60_000; t <= START + HOUR; t += 15_000) {
      Appender app = head.appender();
      for (int i = 0; i < series; i++) {
        v[i] += r.nextInt(100) / 10.0;
        refs[i] = app.append(refs[i], ls[i], t, v[i]);
      }
      app.commit();
    }
    engine = new Engine(EngineOptions.defaults(), Clock.system());
  }

  @Benchmark
  public Value rangeQuery() {
    return engine.rangeQuery(head, query, START, START + HOUR, 15_000).value();
  }
}
