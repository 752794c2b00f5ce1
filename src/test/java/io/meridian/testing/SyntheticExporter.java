package io.meridian.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.Executors;

/**
 * A Kubernetes-node-like target for comparing scrapers: cAdvisor/kube-state-like counters and
 * gauges per container and a classic histogram, in text format 0.0.4. Every value is a function of
 * the tick ({@code tickMillis} of wall time) and the series, and carries the tick's start as its
 * timestamp, so two servers scraping it store identical samples however their scrapes fall within a
 * tick.
 */
public final class SyntheticExporter implements AutoCloseable {
  private static final double[] BUCKETS = {0.05, 0.1, 0.25, 0.5, 1};
  private static final String[] CONTAINERS = {"app", "sidecar"};

  private final HttpServer server;
  private final long tickMillis;
  private final int seed;

  /** The first tick with samples; before it the body is empty (a target with nothing yet). */
  private volatile long firstTick = Long.MAX_VALUE;

  /**
   * @param seed makes this target's values its own
   */
  public SyntheticExporter(long tickMillis, int seed) throws IOException {
    this.tickMillis = tickMillis;
    this.seed = seed;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext(
        "/metrics",
        ex -> {
          long k = System.currentTimeMillis() / tickMillis;
          long first = firstTick;
          byte[] b = (k < first ? "" : body(k, k - first)).getBytes(StandardCharsets.UTF_8);
          ex.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
          ex.sendResponseHeaders(200, b.length);
          try (OutputStream out = ex.getResponseBody()) {
            out.write(b);
          }
        });
    server.start();
  }

  /**
   * Serves samples from the next tick on, so scrapers started at different times hold the same
   * first sample.
   */
  public void open() {
    firstTick = System.currentTimeMillis() / tickMillis + 1;
  }

  public String address() {
    return "127.0.0.1:" + server.getAddress().getPort();
  }

  /**
   * A config scraping {@code exporters} every 500 ms under the job {@code kubernetes-pods}, the
   * i-th (from 1) as {@code cluster="clusterI"}; further jobs may be appended under {@code
   * scrape_configs}.
   */
  public static String podsScrapeConfig(java.util.List<SyntheticExporter> exporters) {
    StringBuilder c =
        new StringBuilder(
            """
            global:
              scrape_interval: 500ms
              scrape_timeout: 400ms
            scrape_configs:
              - job_name: kubernetes-pods
                static_configs:
            """);
    return c.append(staticConfigs(exporters)).toString();
  }

  /**
   * The {@code static_configs} entries of a job scraping {@code exporters}, indented to sit under
   * {@code static_configs:} of a job in {@code scrape_configs}: the i-th (from 1) labeled {@code
   * cluster="clusterI"}.
   */
  public static String staticConfigs(java.util.List<SyntheticExporter> exporters) {
    StringBuilder c = new StringBuilder();
    for (int i = 0; i < exporters.size(); i++) {
      c.append("      - targets: ['")
          .append(exporters.get(i).address())
          .append("']\n        labels: {cluster: cluster")
          .append(i + 1)
          .append("}\n");
    }
    return c.toString();
  }

  /**
   * The body served during tick {@code k}, {@code age} ticks after the first. Counters start at 0
   * at the first tick, as a new container's do: then Prometheus 2.42 and 3.x extrapolate a rate
   * over a window holding the series' start alike (they differ for a counter first seen above 0).
   */
  String body(long k, long age) {
    long ts = k * tickMillis;
    StringBuilder b = new StringBuilder(8192);
    b.append("# HELP container_cpu_usage_seconds_total Cumulative cpu time consumed.\n");
    b.append("# TYPE container_cpu_usage_seconds_total counter\n");
    forEachContainer((labels, i) -> {
      // One series restarts every 7 ticks, as a container restart resets its counter.
      long ticks = i == 3 ? age % 7 : age;
      line(b, "container_cpu_usage_seconds_total", labels, ticks * rate(i), ts);
    });
    b.append("# TYPE container_memory_usage_bytes gauge\n");
    forEachContainer((labels, i) ->
        line(
            b,
            "container_memory_usage_bytes",
            labels,
            (double) (1_000_000L * (i + 1 + seed) + (k * 37 + i) % 11 * 4096),
            ts));
    b.append("# TYPE kube_pod_container_status_restarts_total counter\n");
    forEachContainer((labels, i) ->
        line(b, "kube_pod_container_status_restarts_total", labels, (double) (age / 5 % 3), ts));
    b.append("# TYPE http_request_duration_seconds histogram\n");
    for (String handler : new String[] {"/api", "/health"}) {
      long count = 0;
      double sum = 0;
      for (int j = 0; j < BUCKETS.length; j++) {
        count += age * (j + 1 + seed) * (handler.length() % 3 + 1);
        sum += age * (j + 1) * BUCKETS[j] * 0.7;
        line(
            b,
            "http_request_duration_seconds_bucket",
            "handler=\"" + handler + "\",le=\"" + BUCKETS[j] + "\"",
            (double) count,
            ts);
      }
      count += age * 2;
      line(
          b,
          "http_request_duration_seconds_bucket",
          "handler=\"" + handler + "\",le=\"+Inf\"",
          (double) count,
          ts);
      line(b, "http_request_duration_seconds_sum", "handler=\"" + handler + "\"", sum, ts);
      line(
          b,
          "http_request_duration_seconds_count",
          "handler=\"" + handler + "\"",
          (double) count,
          ts);
    }
    return b.toString();
  }

  private double rate(int i) {
    return 0.013 * (i + 1) + 0.0071 * seed;
  }

  private interface ContainerLine {
    void write(String labels, int index);
  }

  private static void forEachContainer(ContainerLine w) {
    int i = 0;
    for (String ns : new String[] {"default", "kube-system"}) {
      for (int pod = 0; pod < 3; pod++) {
        for (String c : CONTAINERS) {
          w.write(
              "namespace=\"" + ns + "\",pod=\"" + ns + "-pod-" + pod + "\",container=\"" + c + "\"",
              i++);
        }
      }
    }
  }

  private static void line(StringBuilder b, String name, String labels, double v, long ts) {
    b.append(name).append('{').append(labels).append("} ");
    b.append(String.format(Locale.ROOT, "%.9g", v)).append(' ').append(ts).append('\n');
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
