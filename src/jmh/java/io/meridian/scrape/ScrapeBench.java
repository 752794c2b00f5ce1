package io.meridian.scrape;

import io.meridian.config.ScrapeConfig;
import io.meridian.testing.TempDirs;
import io.meridian.tsdb.Tsdb;
import io.meridian.tsdb.TsdbOptions;
import io.meridian.util.Clock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The scrape path after the fetch, as the harness's scrape workload drives it: a scrape loop per
 * target parses a 1,000-series text body (Kubernetes-like series of 100 to 200 bytes, float
 * counters, wandering gauges), looks its series up in the loop's cache and appends them into a TSDB
 * with its WAL; targets take turns, every round 5 s later. Score: ns per sample on one thread. Run:
 * {@code ./dev bench ScrapeBench -f 1}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ScrapeBench {
  static final int SERIES = 1000;
  static final int BODIES = 16;
  static final String TEXT = "text/plain; version=0.0.4; charset=utf-8";

  @Param("100")
  int targets;

  private Path dir;
  private Tsdb db;
  private ScrapeLoop[] loops;
  private final byte[][] bodies = new byte[BODIES][];
  private int next;
  private int round;
  private long t = 1_700_000_000_000L;

  @Setup(Level.Trial)
  public void setup() throws IOException {
    dir = Files.createTempDirectory("meridian-bench");
    db = Tsdb.open(dir, TsdbOptions.defaults(), Clock.system());
    StringBuilder yaml =
        new StringBuilder("scrape_configs:\n- job_name: kubernetes-pods\n  static_configs:\n");
    yaml.append("  - targets: [");
    for (int i = 0; i < targets; i++) {
      yaml.append(i == 0 ? "" : ", ").append("'10.0.").append(i / 250).append('.');
      yaml.append(i % 250).append(":9100'");
    }
    yaml.append("]\n    labels: {cluster: cluster1}\n");
    ScrapeConfig cfg = Configs.scrape(yaml.toString());
    List<Target> active = Targets.of(cfg).active();
    loops = new ScrapeLoop[targets];
    for (int i = 0; i < targets; i++) {
      loops[i] = new ScrapeLoop(active.get(i), cfg, db, Clock.system());
    }
    SplittableRandom random = new SplittableRandom(42);
    double[] values = new double[SERIES];
    for (int i = 0; i < SERIES; i++) {
      values[i] = random.nextDouble() * 1e6;
    }
    for (int k = 0; k < BODIES; k++) {
      bodies[k] = body(values, random);
    }
    for (int i = 0; i < targets; i++) {
      scrapeNext(); // every series into the head and every cache
    }
  }

  /** One body: the same series in the same order each time, values moved on by one interval. */
  private static byte[] body(double[] values, SplittableRandom random) {
    StringBuilder b = new StringBuilder(200 * SERIES);
    String[] modes = {"user", "system", "iowait", "irq", "softirq", "nice", "steal", "idle"};
    String[] namespaces = {"payments", "checkout", "monitoring", "data", "auth", "frontend"};
    String[] metrics = {
      "container_cpu_usage_seconds_total",
      "container_memory_usage_bytes",
      "container_memory_working_set_bytes",
      "container_spec_memory_limit_bytes",
      "container_network_receive_bytes_total",
      "kube_pod_container_status_restarts_total"
    };
    int s = 0;
    b.append("# HELP node_cpu_seconds_total Seconds the CPUs spent in each mode.\n");
    b.append("# TYPE node_cpu_seconds_total counter\n");
    for (int cpu = 0; cpu < 8; cpu++) {
      for (String mode : modes) {
        values[s] += Math.round(random.nextDouble() * 500) / 100.0;
        b.append("node_cpu_seconds_total{cpu=\"").append(cpu).append("\",mode=\"").append(mode);
        b.append("\"} ").append(values[s++]).append('\n');
      }
    }
    int pods = (SERIES - s) / metrics.length;
    for (int m = 0; m < metrics.length; m++) {
      b.append("# TYPE ").append(metrics[m]).append(m == 0 || m == 4 ? " counter\n" : " gauge\n");
      for (int pod = 0; pod < pods; pod++) {
        double v =
            switch (m) {
              case 0 -> values[s] + random.nextDouble() * 2.5;
              case 1, 2 -> Math.max(0, values[s] + 4096 * (random.nextInt(2001) - 1000));
              case 3 -> 268435456;
              case 4 -> values[s] + random.nextInt(1_000_000);
              default -> values[s] < 1 ? 0 : 2;
            };
        values[s] = v;
        b.append(metrics[m]).append("{container=\"istio-proxy\",image=\"registry.local/istio/");
        b.append("proxyv2:1.").append(pod % 20).append(".0\",namespace=\"");
        b.append(namespaces[pod % namespaces.length]).append("\",node=\"node-1-000\",pod=\"web-");
        b.append(Long.toString(0x5f3a9d1cL * (pod + 1) & 0xffffffffL, 36)).append("\"} ");
        b.append(m == 0 ? Double.toString(v) : Long.toString((long) v)).append('\n');
        s++;
      }
    }
    b.append("# TYPE http_requests_total counter\n");
    for (; s < SERIES; s++) {
      values[s] += random.nextInt(100);
      b.append("http_requests_total{code=\"200\",handler=\"/api/v1/h").append(s);
      b.append("\",method=\"GET\"} ").append((long) values[s]).append('\n');
    }
    return b.toString().getBytes(StandardCharsets.UTF_8);
  }

  private void scrapeNext() throws IOException {
    byte[] body = bodies[round % BODIES];
    loops[next].scrapeOnce(t, 0, body, body.length, TEXT);
    if (++next == targets) {
      next = 0;
      round++;
      t += 5_000;
    }
  }

  @Benchmark
  @OperationsPerInvocation(SERIES)
  public void scrape() throws IOException {
    scrapeNext();
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    db.close();
    TempDirs.delete(dir);
  }
}
