package io.meridian.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meridian.testing.MeridianProcess;
import io.meridian.testing.PrometheusPeer;
import io.meridian.testing.SyntheticExporter;
import io.meridian.testing.VictoriaMetricsPeer;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Meridian scrapes two synthetic Kubernetes nodes and itself, and remote-writes everything into
 * Debian's Prometheus 2.42 ({@code --web.enable-remote-write-receiver}) and VictoriaMetrics 1.79 at
 * once, under an external label. Once Meridian says it sent past the queries' time, each peer
 * answers instant and range queries (raw series, counters with rate, gauges, histograms with
 * histogram_quantile, counts by job) as Meridian answers them over its own data, with the external
 * label on every series it holds: what was sent is what Meridian stored.
 *
 * <p>VictoriaMetrics computes {@code rate} and {@code increase} its own way: from the last sample
 * before the window to the last in it, with no extrapolation to the window's edges, and a counter's
 * first sample counted from 0. For a counter rising at a steady pace with no reset in the window,
 * as the exporter's {@code container="app"} CPU series and histogram buckets are, both ways give
 * that pace, and those queries are asked of it; queries over counters that reset or step ({@link
 * #EXTRAPOLATED}) are asked of Prometheus only. Its raw samples ({@code count_over_time}, plain
 * selectors) are compared as they are.
 */
class RemoteWriteToPeersIT {
  private static final long TICK = 1000;
  private static final long RANGE = 10_000;
  private static final double TOLERANCE = 1e-9;

  /** Asked of Meridian and of both peers. */
  private static final List<String> QUERIES =
      List.of(
          "container_memory_usage_bytes",
          "container_cpu_usage_seconds_total",
          "count_over_time(container_cpu_usage_seconds_total[10s])",
          "count_over_time(http_request_duration_seconds_bucket[10s])",
          // (VictoriaMetrics keeps the metric name on max_over_time; aggregated, it is gone.)
          "sum by (cluster, namespace, pod) (max_over_time(container_memory_usage_bytes[5s]))",
          "sum by (cluster, namespace) (rate(container_cpu_usage_seconds_total{container=\"app\"}[10s]))",
          "histogram_quantile(0.9, sum by (cluster, handler, le)"
              + " (rate(http_request_duration_seconds_bucket[10s])))",
          "rate(http_request_duration_seconds_sum[10s]) / rate(http_request_duration_seconds_count[10s])",
          "sum(container_memory_usage_bytes) by (cluster)",
          "count by (job) (up)",
          "count by (job) ({__name__=~\".+\"})");

  /** Asked of Meridian and Prometheus: VictoriaMetrics's rate of these differs by design. */
  private static final List<String> EXTRAPOLATED =
      List.of(
          "sum by (cluster) (rate(container_cpu_usage_seconds_total[10s]))",
          "increase(kube_pod_container_status_restarts_total[10s])",
          "resets(container_cpu_usage_seconds_total[10s])",
          "histogram_quantile(0.5, rate(http_request_duration_seconds_bucket[3s]))");

  @TempDir static Path dir;

  private static final List<SyntheticExporter> exporters = new ArrayList<>();
  private static PrometheusPeer prometheus;
  private static VictoriaMetricsPeer victoria;
  private static MeridianProcess meridian;

  /** The instant queries' time and the range queries' end: the middle of a tick, fully sent. */
  private static long at;

  @BeforeAll
  static void remoteWriteForAWhile() throws Exception {
    assumeTrue(
        java.nio.file.Files.isExecutable(PrometheusPeer.BINARY)
            || VictoriaMetricsPeer.isInstalled(),
        "neither Debian's prometheus nor victoria-metrics is installed (.ci/run installs both)");
    for (int i = 1; i <= 2; i++) {
      exporters.add(new SyntheticExporter(TICK, i));
    }
    StringBuilder remotes = new StringBuilder("remote_write:\n");
    if (java.nio.file.Files.isExecutable(PrometheusPeer.BINARY)) {
      prometheus =
          PrometheusPeer.start(
              dir,
              dir.resolve("prometheus"),
              "scrape_configs: []\n",
              Duration.ofMinutes(2),
              "--web.enable-remote-write-receiver");
      remotes.append(remote("prometheus", prometheus.port()));
    }
    if (VictoriaMetricsPeer.isInstalled()) {
      victoria = VictoriaMetricsPeer.start(dir, dir.resolve("victoria-metrics"));
      remotes.append(remote("victoria-metrics", victoria.port()));
    }
    meridian = MeridianProcess.start(dir, config(remotes.toString()));
    await("every target scraped", () -> scalar(meridian, "count(up == 1)") == 3);
    exporters.forEach(SyntheticExporter::open);
    long opened = System.currentTimeMillis();
    // Ranges reach 2 * RANGE back from the time asked, and the series start a tick after opening:
    // past that, no window holds a series' first sample.
    await("samples enough", () -> System.currentTimeMillis() > opened + 2 * RANGE + 4 * TICK);
    at = (System.currentTimeMillis() / TICK - 2) * TICK + TICK / 2;
    if (prometheus != null) {
      await("samples sent to Prometheus past the time asked", () -> highestSent("prometheus") > at);
    }
    if (victoria != null) {
      await(
          "samples sent to VictoriaMetrics past the time asked",
          () -> highestSent("victoria-metrics") > at);
      victoria.flush();
    }
  }

  @AfterAll
  static void stop() {
    if (meridian != null) {
      meridian.close();
    }
    if (prometheus != null) {
      prometheus.close();
    }
    if (victoria != null) {
      victoria.close();
    }
    exporters.forEach(SyntheticExporter::close);
  }

  @Test
  void prometheusAnswersAsMeridian() throws Exception {
    PrometheusPeer.assumeInstalled();
    assertExternalLabelOnEverySeries(prometheus.port());
    for (String q : QUERIES) {
      assertSameAnswers("prometheus", prometheus.port(), q);
    }
    for (String q : EXTRAPOLATED) {
      assertSameAnswers("prometheus", prometheus.port(), q);
    }
  }

  @Test
  void victoriaMetricsAnswersAsMeridian() throws Exception {
    VictoriaMetricsPeer.assumeInstalled();
    assertExternalLabelOnEverySeries(victoria.port());
    for (String q : QUERIES) {
      assertSameAnswers("victoria-metrics", victoria.port(), q);
    }
  }

  private static void assertExternalLabelOnEverySeries(int peer) throws Exception {
    assertThat(query(peer, "count({__name__=~\".+\"})", at).isEmpty())
        .as("the peer holds series")
        .isFalse();
    assertThat(query(peer, "{__name__=~\".+\", replica!=\"a\"}", at))
        .as("series without the external label")
        .isEmpty();
  }

  /** The same answer from Meridian and the peer, instant at {@link #at} and over a range to it. */
  private static void assertSameAnswers(String peerName, int peer, String q) throws Exception {
    Map<String, List<double[]>> own = answer(query(meridian.port(), q, at), false);
    assertThat(own).as("Meridian answers %s", q).isNotEmpty();
    assertThat(differences(own, answer(query(peer, q, at), true)))
        .as("%s instant %s", peerName, q)
        .isEmpty();
    long start = at - RANGE;
    assertThat(
            differences(
                answer(queryRange(meridian.port(), q, start, at), false),
                answer(queryRange(peer, q, start, at), true)))
        .as("%s range %s", peerName, q)
        .isEmpty();
  }

  private static String remote(String name, int port) {
    return """
      - url: http://127.0.0.1:%d/api/v1/write
        name: %s
        queue_config: {batch_send_deadline: 1s}
    """
        .formatted(port, name);
  }

  /** Scraping the exporters every half tick (each tick's sample is stored once) and itself. */
  private static String config(String remoteWrite) {
    return """
    global:
      scrape_interval: 500ms
      scrape_timeout: 400ms
      external_labels: {replica: a}
    """
        + remoteWrite.replace("%", "%%")
        + """
        scrape_configs:
          - job_name: meridian
            static_configs: [{targets: ['127.0.0.1:%1$d']}]
          - job_name: kubernetes-pods
            static_configs:
        """
        + SyntheticExporter.staticConfigs(exporters);
  }

  /** The newest sample time sent to a remote, in ms; NaN (never greater) before the first. */
  private static double highestSent(String remote) throws Exception {
    return meridian.metric(
            "meridian_remote_storage_highest_sent_timestamp_seconds",
            "remote_name=\"" + remote + "\"")
        * 1000;
  }

  private static JsonNode query(int port, String q, long atMillis) throws Exception {
    return get(port, "/api/v1/query?query=" + encode(q) + "&time=" + atMillis / 1000.0);
  }

  private static JsonNode queryRange(int port, String q, long start, long end) throws Exception {
    return get(
        port,
        "/api/v1/query_range?query="
            + encode(q)
            + "&start="
            + start / 1000.0
            + "&end="
            + end / 1000.0
            + "&step="
            + TICK / 1000.0);
  }

  private static String encode(String q) {
    return URLEncoder.encode(q, StandardCharsets.UTF_8);
  }

  private static JsonNode get(int port, String path) throws IOException, InterruptedException {
    var http = java.net.http.HttpClient.newHttpClient();
    HttpResponse<String> resp =
        http.send(
            java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(resp.statusCode()).as("%s: %s", path, resp.body()).isEqualTo(200);
    return new ObjectMapper().readTree(resp.body()).path("data").path("result");
  }

  private static double scalar(MeridianProcess m, String q) throws Exception {
    JsonNode r = query(m.port(), q, System.currentTimeMillis());
    return r.isEmpty() ? 0 : value(r.get(0).path("value").get(1).asText());
  }

  /**
   * An answer as series → points ({@code [t ms, v]}); a peer's series lose the external label,
   * which, where a series has it, must be Meridian's.
   */
  private static Map<String, List<double[]>> answer(JsonNode result, boolean peer) {
    Map<String, List<double[]>> out = new TreeMap<>();
    for (JsonNode s : result) {
      Map<String, String> labels = new TreeMap<>();
      s.path("metric").properties().forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
      if (peer && labels.containsKey("replica")) {
        assertThat(labels.remove("replica")).as("external label").isEqualTo("a");
      }
      List<double[]> points = new ArrayList<>();
      Iterable<JsonNode> all = s.has("value") ? List.of(s.get("value")) : s.path("values");
      for (JsonNode p : all) {
        points.add(new double[] {Math.round(p.get(0).asDouble() * 1000), value(p.get(1).asText())});
      }
      out.put(labels.toString(), points);
    }
    return out;
  }

  private static double value(String s) {
    return switch (s) {
      case "+Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      default -> Double.parseDouble(s);
    };
  }

  /** Series missing on either side or whose points differ (beyond {@link #TOLERANCE}). */
  private static List<String> differences(
      Map<String, List<double[]>> own, Map<String, List<double[]>> peer) {
    List<String> out = new ArrayList<>();
    for (var e : own.entrySet()) {
      List<double[]> theirs = peer.get(e.getKey());
      if (theirs == null) {
        out.add("missing on the peer: " + e.getKey());
      } else if (!samePoints(e.getValue(), theirs)) {
        out.add(
            e.getKey() + "\n  Meridian: " + show(e.getValue()) + "\n  peer:     " + show(theirs));
      }
    }
    for (String k : peer.keySet()) {
      if (!own.containsKey(k)) {
        out.add("only on the peer: " + k);
      }
    }
    return out.size() > 5 ? out.subList(0, 5) : out;
  }

  private static boolean samePoints(List<double[]> a, List<double[]> b) {
    if (a.size() != b.size()) {
      return false;
    }
    for (int i = 0; i < a.size(); i++) {
      double[] p = a.get(i);
      double[] q = b.get(i);
      if (p[0] != q[0] || !close(p[1], q[1])) {
        return false;
      }
    }
    return true;
  }

  private static boolean close(double x, double y) {
    if (Double.isNaN(x) || Double.isNaN(y) || Double.isInfinite(x) || Double.isInfinite(y)) {
      return Double.compare(x, y) == 0;
    }
    return Math.abs(x - y) <= TOLERANCE * Math.max(1, Math.max(Math.abs(x), Math.abs(y)));
  }

  private static String show(List<double[]> points) {
    StringBuilder b = new StringBuilder();
    for (double[] p : points) {
      b.append(' ').append((long) p[0]).append('=').append(p[1]);
    }
    return b.toString();
  }

  private interface Condition {
    boolean holds() throws Exception;
  }

  /** Polls {@code c} every 200 ms for up to a minute. */
  private static void await(String what, Condition c) throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
    while (!c.holds()) {
      assertThat(System.nanoTime() - deadline).as("waiting for %s", what).isNegative();
      Thread.sleep(200);
    }
  }
}
