package io.meridian.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.exposition.ExpositionParser;
import io.meridian.exposition.TextFormat;
import io.meridian.model.Labels;
import io.meridian.testing.ManualClock;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SimulatedClusterTest {
  private final SimulatedCluster cluster =
      new SimulatedCluster(SimulatedCluster.Options.forSeries("cluster1", 5000, 600_000, 1));

  /** Every series of the cluster at {@code t}: labels (with the page's kind) to value. */
  private Map<Labels, Double> scrapeAll(long t) throws Exception {
    Map<Labels, Double> out = new HashMap<>();
    for (int n = 0; n < cluster.options().nodes(); n++) {
      ByteArrayOutputStream b = new ByteArrayOutputStream();
      cluster.writeNode(n, t, b);
      cluster.writePods(n, t, b);
      byte[] body = b.toByteArray();
      ExpositionParser p = new ExpositionParser(body, body.length, TextFormat.PROMETHEUS_0_0_4);
      for (ExpositionParser.Entry e = p.next(); e != ExpositionParser.Entry.EOF; e = p.next()) {
        if (e == ExpositionParser.Entry.SERIES) {
          Labels l = p.labels().toBuilder().set("node", cluster.nodeName(n)).build();
          assertThat(out.put(l, p.value())).as("duplicate series %s", l).isNull();
        }
      }
    }
    return out;
  }

  @Test
  void servesAboutTheAskedNumberOfSeriesInTheExpositionFormat() throws Exception {
    Map<Labels, Double> all = scrapeAll(1_800_000_000_000L);
    assertThat(all).hasSize(cluster.options().series());
    assertThat(cluster.options().series()).isBetween(4500, 5500);
    Set<String> names = new HashSet<>();
    all.keySet().forEach(l -> names.add(l.metricName()));
    assertThat(names)
        .contains(
            "node_cpu_seconds_total",
            "container_cpu_usage_seconds_total",
            "container_memory_usage_bytes",
            "kube_pod_container_status_restarts_total",
            "kube_pod_info");
    assertThat(all.keySet())
        .filteredOn(l -> l.metricName().equals("container_cpu_usage_seconds_total"))
        .allSatisfy(
            l -> assertThat(l.has("namespace") && l.has("pod") && l.has("container")).isTrue());
  }

  @Test
  void countersRiseWhilePodsLiveAndPodsAreReplacedOneAtATime() throws Exception {
    long t0 = 1_800_000_000_000L;
    Map<Labels, Double> before = scrapeAll(t0);
    Map<Labels, Double> after = scrapeAll(t0 + 15_000);
    int kept = 0;
    for (var e : before.entrySet()) {
      Double v = after.get(e.getKey());
      if (v != null && e.getKey().metricName().endsWith("_total")) {
        assertThat(v).as("%s", e.getKey()).isGreaterThanOrEqualTo(e.getValue());
        kept++;
      }
    }
    assertThat(kept).isPositive();
    // Within 15 s of a 10-minute lifetime only a few pods are replaced; within one lifetime, all.
    long podsBefore = pods(before);
    Set<String> gone = new HashSet<>(podNames(before));
    gone.removeAll(podNames(after));
    assertThat(gone.size()).isLessThan((int) podsBefore / 10);
    Set<String> later = podNames(scrapeAll(t0 + 600_000));
    assertThat(later).doesNotContainAnyElementsOf(podNames(before));
    assertThat(later).hasSize((int) podsBefore);
  }

  private static long pods(Map<Labels, Double> all) {
    return podNames(all).size();
  }

  private static Set<String> podNames(Map<Labels, Double> all) {
    Set<String> out = new HashSet<>();
    all.keySet().stream()
        .filter(l -> l.metricName().equals("kube_pod_info"))
        .forEach(l -> out.add(l.get("namespace") + "/" + l.get("pod")));
    return out;
  }

  @Test
  void theWorkloadServerServesEachNodesPagesOverHttp() throws Exception {
    ManualClock clock = new ManualClock(1_800_000_000_000L);
    try (WorkloadServer s = WorkloadServer.start(cluster, 0, clock);
        HttpClient http = HttpClient.newHttpClient()) {
      String base = "http://127.0.0.1:" + s.port();
      HttpResponse<String> node =
          http.send(
              HttpRequest.newBuilder(URI.create(base + "/node/0/metrics")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(node.statusCode()).isEqualTo(200);
      assertThat(node.headers().firstValue("Content-Type"))
          .hasValueSatisfying(ct -> assertThat(ct).startsWith("text/plain; version=0.0.4"));
      assertThat(node.body()).contains("node_cpu_seconds_total{cpu=\"0\",mode=\"idle\"}");
      HttpResponse<String> pods =
          http.send(
              HttpRequest.newBuilder(URI.create(base + "/pods/0/metrics")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(pods.body()).contains("container_cpu_usage_seconds_total{namespace=");
      for (String bad : new String[] {"/node/99/metrics", "/pods/x/metrics", "/other"}) {
        assertThat(
                http.send(
                        HttpRequest.newBuilder(URI.create(base + bad)).build(),
                        HttpResponse.BodyHandlers.ofString())
                    .statusCode())
            .as(bad)
            .isEqualTo(404);
      }
    }
  }
}
