package io.meridian.promql;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meridian.model.Labels;
import io.meridian.storage.Appender;
import io.meridian.testing.PrometheusPeer;
import io.meridian.tsdb.Tsdb;
import io.meridian.tsdb.TsdbOptions;
import io.meridian.util.Clock;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The query, {@code sum by (cluster) (rate(container_cpu_usage_seconds_total[5m]))} over
 * 10k series, 1h range, 15 s step, on Meridian's engine and on Debian's Prometheus 2.42 over the
 * same data directory, in one run. Prometheus's figure is its own evaluation time ({@code
 * stats=all}: {@code execTotalTime}, HTTP and JSON excluded), so the two measure the same work. Not
 * a JMH benchmark: a tool run by hand,
 *
 * <pre>
 * java -cp ... io.meridian.promql.QueryVsPrometheus [series] [runs]
 * </pre>
 */
public final class QueryVsPrometheus {
  private QueryVsPrometheus() {}

  static final String QUERY = "sum by (cluster) (rate(container_cpu_usage_seconds_total[5m]))";

  public static void main(String[] args) throws Exception {
    int series = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 15;
    Path work = Files.createTempDirectory("meridian-qvp");
    Path data = work.resolve("data");
    long end = Clock.system().millis() / 15_000 * 15_000 - 60_000;
    long start = end - 3_600_000;
    write(data, series, start - 600_000, end);
    double[] ours = new double[runs];
    try (Tsdb db = Tsdb.open(data, TsdbOptions.defaults(), Clock.system())) {
      Engine engine = new Engine(EngineOptions.defaults(), Clock.system());
      for (int i = -3; i < runs; i++) {
        long t0 = System.nanoTime();
        Matrix m = (Matrix) engine.rangeQuery(db, QUERY, start, end, 15_000).value();
        if (i >= 0) {
          ours[i] = (System.nanoTime() - t0) / 1e6;
        }
        if (m.series().size() != 3) {
          throw new IllegalStateException("expected 3 series, got " + m.series().size());
        }
      }
    }
    double[] theirs = new double[runs];
    try (PrometheusPeer p =
        PrometheusPeer.start(work, data, "global: {}\n", Duration.ofMinutes(5))) {
      String path =
          "/api/v1/query_range?query="
              + URLEncoder.encode(QUERY, StandardCharsets.UTF_8)
              + "&start="
              + start / 1000.0
              + "&end="
              + end / 1000.0
              + "&step=15&stats=all";
      ObjectMapper json = new ObjectMapper();
      for (int i = -3; i < runs; i++) {
        JsonNode r = json.readTree(p.get(path).body());
        JsonNode timings = r.path("data").path("stats").path("timings");
        if (i >= 0) {
          theirs[i] = timings.path("execTotalTime").asDouble() * 1000;
        }
        if (r.path("data").path("result").size() != 3) {
          throw new IllegalStateException("prometheus: " + r);
        }
      }
      p.stop();
    }
    double a = median(ours);
    double b = median(theirs);
    System.out.printf(
        "series=%d runs=%d%nmeridian engine median %.1f ms%nprometheus 2.42 execTotalTime median"
            + " %.1f ms%nratio prometheus/meridian %.2fx%n",
        series, runs, a, b, b / a);
  }

  private static double median(double[] xs) {
    double[] s = xs.clone();
    Arrays.sort(s);
    return s[s.length / 2];
  }

  private static void write(Path dir, int series, long from, long to) throws Exception {
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
    try (Tsdb db = Tsdb.open(dir, TsdbOptions.defaults(), Clock.system())) {
      for (long t = from; t <= to; t += 15_000) {
        Appender app = db.appender();
        for (int i = 0; i < series; i++) {
          v[i] += r.nextInt(100) / 10.0;
          refs[i] = app.append(refs[i], ls[i], t + (i % 7), v[i]);
        }
        app.commit();
      }
    }
  }
}
