package io.meridian.promql;

import io.meridian.model.Labels;
import io.meridian.model.StaleNaN;
import io.meridian.storage.Appender;
import io.meridian.storage.SampleRejectedException;
import io.meridian.testing.SeededRandom;
import io.meridian.tsdb.Tsdb;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A seeded, realistic set of scrapes written into a {@link Tsdb}, as a Prometheus scraping a few
 * targets every 15 s would have written it:
 *
 * <ul>
 *   <li>{@code job="api"}: {@code http_requests_total{method,code}} counters with occasional
 *       resets, a classic histogram {@code request_duration_seconds} (buckets, sum and count
 *       written together, resets of the whole histogram), {@code process_resident_memory_bytes} and
 *       {@code up};
 *   <li>{@code job="node"}: {@code node_cpu_seconds_total{mode}} float counters, {@code
 *       node_temperature_celsius{sensor}} gauges (the outside sensor goes below zero), memory, up
 *       and an info metric {@code node_meta{node}} for joins;
 *   <li>{@code job="batch"}: {@code batch_queue_length{pod}} gauges, one of which stops (a
 *       staleness marker, then nothing) at scrape {@link #STOP_SCRAPE} and one of which starts at
 *       scrape {@link #LATE_START_SCRAPE}.
 * </ul>
 *
 * Scrape {@code k} of a target lands at {@code start + k * 15s + jitter}, with a jitter of 1 to 999
 * ms drawn per target and scrape. With {@code start} a whole minute, no sample sits on a whole
 * second, so windows that start and end on whole seconds never have a sample on their bounds (where
 * Prometheus 2.42's closed left bound would differ from 3.x).
 */
final class ScrapeDataSet {
  static final long INTERVAL_MILLIS = 15_000;
  static final int STOP_SCRAPE = 520;
  static final int LATE_START_SCRAPE = 600;
  static final String[] BUCKETS = {"0.05", "0.1", "0.25", "0.5", "1", "2.5", "+Inf"};

  private final SeededRandom random;
  private final Map<Labels, Double> last = new HashMap<>();
  private Appender app;
  private long t;

  private ScrapeDataSet(SeededRandom random) {
    this.random = random;
  }

  /** Writes {@code scrapes} rounds of scrapes from {@code start}; returns the series count. */
  static int write(Tsdb db, SeededRandom random, long start, int scrapes)
      throws IOException, SampleRejectedException {
    ScrapeDataSet set = new ScrapeDataSet(random);
    List<Target> targets = set.targets();
    set.app = db.appender();
    for (int k = 0; k < scrapes; k++) {
      for (Target target : targets) {
        set.t = start + k * INTERVAL_MILLIS + random.nextInt(1, 1000);
        target.scrape(k);
      }
      if (k % 20 == 19) {
        set.app.commit();
        set.app = db.appender();
      }
    }
    set.app.commit();
    return set.last.size();
  }

  /** One scrape target. */
  private interface Target {
    void scrape(int k) throws SampleRejectedException;
  }

  private List<Target> targets() {
    List<Target> out = new ArrayList<>();
    for (String cluster : List.of("eu", "us")) {
      int c = cluster.equals("eu") ? 1 : 2;
      for (int i = 1; i <= 3; i++) {
        String instance = "10.0." + c + "." + i + ":8080";
        String pod = "api-" + random.nextAscii(5, 5).toLowerCase(Locale.ROOT);
        out.add(apiTarget(Labels.of("job", "api", "cluster", cluster, "instance", instance), pod));
      }
      for (int i = 1; i <= 2; i++) {
        String instance = "10.1." + c + "." + i + ":9100";
        out.add(nodeTarget(Labels.of("job", "node", "cluster", cluster, "instance", instance)));
      }
      String instance = "10.2." + c + ".1:9091";
      out.add(batchTarget(Labels.of("job", "batch", "cluster", cluster, "instance", instance)));
    }
    return out;
  }

  private Target apiTarget(Labels base, String pod) {
    double memory = 1e8 + random.nextDouble() * 4e8;
    double[] histogram = new double[BUCKETS.length + 1]; // the buckets, then the sum
    for (int i = 0; i < 300; i++) {
      observe(histogram, false); // it starts high, as counters do (see resetNow)
    }
    return k -> {
      Labels l = base.toBuilder().set("pod", pod).build();
      counter(with(l, "http_requests_total", "method", "GET", "code", "200"), 20, 60);
      counter(with(l, "http_requests_total", "method", "GET", "code", "500"), 0, 3);
      counter(with(l, "http_requests_total", "method", "POST", "code", "200"), 5, 20);
      counter(with(l, "http_requests_total", "method", "POST", "code", "500"), 0, 2);
      // Never reset on the first scrape: the series would start small (see resetNow).
      observe(histogram, k > 0);
      for (int b = 0; b < BUCKETS.length; b++) {
        emit(with(l, "request_duration_seconds_bucket", "le", BUCKETS[b]), histogram[b]);
      }
      emit(with(l, "request_duration_seconds_sum"), histogram[BUCKETS.length]);
      emit(with(l, "request_duration_seconds_count"), histogram[BUCKETS.length - 1]);
      gauge(with(l, "process_resident_memory_bytes"), memory, memory * 0.01);
      emit(with(l, "up"), random.nextInt(40) == 0 ? 0 : 1);
    };
  }

  private Target nodeTarget(Labels base) {
    double outside = -10 + random.nextDouble() * 15;
    double memory = 2e7 + random.nextDouble() * 5e7;
    String node = "node-" + random.nextAscii(4, 4).toLowerCase(Locale.ROOT);
    return k -> {
      floatCounter(with(base, "node_cpu_seconds_total", "mode", "user"), 6);
      floatCounter(with(base, "node_cpu_seconds_total", "mode", "system"), 2);
      floatCounter(with(base, "node_cpu_seconds_total", "mode", "idle"), 20);
      gauge(with(base, "node_temperature_celsius", "sensor", "cpu"), 45, 1.5);
      gauge(with(base, "node_temperature_celsius", "sensor", "outside"), outside, 0.7);
      gauge(with(base, "process_resident_memory_bytes"), memory, memory * 0.02);
      emit(with(base, "up"), 1);
      emit(with(base, "node_meta", "node", node), 1);
    };
  }

  private Target batchTarget(Labels base) {
    boolean eu = base.get("cluster").equals("eu");
    return k -> {
      gauge(with(base, "batch_queue_length", "pod", "batch-a"), 100, 8);
      gauge(with(base, "batch_queue_length", "pod", "batch-b"), 30, 5);
      if (eu && k < STOP_SCRAPE) {
        gauge(with(base, "batch_queue_length", "pod", "batch-old"), 50, 6);
      } else if (eu && k == STOP_SCRAPE) {
        emit(with(base, "batch_queue_length", "pod", "batch-old"), StaleNaN.VALUE);
      }
      if (eu && k >= LATE_START_SCRAPE) {
        gauge(with(base, "batch_queue_length", "pod", "batch-new"), 20, 4);
      }
      emit(with(base, "up"), 1);
    };
  }

  private static Labels with(Labels base, String name, String... more) {
    Labels.Builder b = base.toBuilder().set(Labels.METRIC_NAME, name);
    for (int i = 0; i < more.length; i += 2) {
      b.set(more[i], more[i + 1]);
    }
    return b.build();
  }

  /** An integer counter growing by [lo, hi) per scrape, reset now and then. */
  private void counter(Labels l, int lo, int hi) throws SampleRejectedException {
    double prev = resetNow(l, 500) ? 0 : last.getOrDefault(l, 1000.0 * hi);
    emit(l, prev + random.nextInt(lo, hi + 1));
  }

  /** A float counter growing by up to {@code max} per scrape, rarely reset. */
  private void floatCounter(Labels l, double max) throws SampleRejectedException {
    double prev = resetNow(l, 1000) ? 0 : last.getOrDefault(l, 1e5 * max);
    emit(l, prev + random.nextDouble() * max);
  }

  /**
   * Whether to reset a counter now: one time in {@code n}, never on its first sample. Counters
   * start high, as if their process had been running for a while: for a counter whose first sample
   * is small, 2.42 and 3.x limit the extrapolation of rate() to the counter's zero point in a
   * different order, so their answers differ where a window starts before the series.
   */
  private boolean resetNow(Labels l, int n) {
    return last.containsKey(l) && random.nextInt(n) == 0;
  }

  /** A random walk pulled back towards {@code mean}. */
  private void gauge(Labels l, double mean, double sigma) throws SampleRejectedException {
    double prev = last.getOrDefault(l, mean + random.nextGaussian() * sigma * 3);
    emit(l, prev + (mean - prev) * 0.05 + random.nextGaussian() * sigma);
  }

  /** Adds a scrape's observations to the cumulative buckets and sum; resets now and then. */
  private void observe(double[] histogram, boolean mayReset) {
    if (mayReset && random.nextInt(1000) == 0) {
      Arrays.fill(histogram, 0);
    }
    double[] bounds = {0.05, 0.1, 0.25, 0.5, 1, 2.5, Double.POSITIVE_INFINITY};
    int n = random.nextInt(10, 50);
    for (int i = 0; i < n; i++) {
      double d = Math.exp(random.nextGaussian() * 0.8 - 1.6);
      histogram[BUCKETS.length] += d;
      for (int b = 0; b < bounds.length; b++) {
        if (d <= bounds[b]) {
          histogram[b]++;
        }
      }
    }
  }

  private void emit(Labels l, double v) throws SampleRejectedException {
    app.append(l, t, v);
    if (!StaleNaN.is(v)) {
      last.put(l, v);
    }
  }
}
