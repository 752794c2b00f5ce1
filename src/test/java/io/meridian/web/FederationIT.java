package io.meridian.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.meridian.model.Labels;
import io.meridian.promql.Engine;
import io.meridian.promql.EngineOptions;
import io.meridian.storage.Appender;
import io.meridian.testing.MeridianProcess;
import io.meridian.testing.PrometheusPeer;
import io.meridian.tsdb.head.Head;
import io.meridian.tsdb.head.HeadOptions;
import io.meridian.tsdb.head.Journal;
import io.meridian.util.BuildInfo;
import io.meridian.util.Clock;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Debian's Prometheus 2.42 federates from Meridian with the multi-cluster guide's scrape config,
 * unchanged but for the target, and Meridian from Prometheus with the same: the matching series
 * arrive with their labels and values, the external labels added, the others not at all.
 */
class FederationIT {
  /** The multi-cluster guide's federation job, unchanged but for the target's PORT. */
  private static final String GUIDE_CONFIG =
      """
      global:
        scrape_interval: 1s
      scrape_configs:
      - job_name: 'federate-cluster1'
        honor_labels: true
        metrics_path: '/federate'
        params:
          'match[]':
            - '{job="kubernetes-nodes"}'
            - '{job="kubernetes-pods"}'
        static_configs:
          - targets:
            - '127.0.0.1:PORT'
      """;

  @TempDir Path tmp;

  /**
   * The other way round: Meridian's server, with the same job, federates from Prometheus 2.42,
   * which scrapes itself as two jobs; the matching job's series arrive with their labels (the
   * target's, Prometheus's external labels, the original job and instance kept by honor_labels),
   * the other job's not at all.
   */
  @Test
  void meridianFederatesFromPrometheus() throws Exception {
    PrometheusPeer.assumeInstalled();
    try (PrometheusPeer prometheus =
            PrometheusPeer.start(
                tmp,
                Files.createDirectories(tmp.resolve("prom")),
                """
                global:
                  scrape_interval: 1s
                  external_labels: {cluster: cluster2}
                scrape_configs:
                - job_name: kubernetes-nodes
                  static_configs:
                    - targets: ['127.0.0.1:%1$d']
                      labels: {node: n1}
                - job_name: other
                  static_configs:
                    - targets: ['127.0.0.1:%1$d']
                """,
                Duration.ofSeconds(90));
        MeridianProcess meridian =
            MeridianProcess.start(
                tmp, GUIDE_CONFIG.replace("PORT", Integer.toString(prometheus.port())))) {
      String q = "/api/v1/query?query=prometheus_build_info%7Bjob%3D%22kubernetes-nodes%22%7D";
      String body = "";
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (!body.contains("\"node\":\"n1\"") && System.nanoTime() < deadline) {
        Thread.sleep(200);
        body = meridian.get(q).body();
      }
      assertThat(body)
          .contains("\"__name__\":\"prometheus_build_info\"")
          .contains("\"cluster\":\"cluster2\"")
          .contains("\"instance\":\"127.0.0.1:" + prometheus.port() + "\"")
          .contains("\"job\":\"kubernetes-nodes\"")
          .contains("\"node\":\"n1\"")
          .contains("\"version\":");
      assertThat(meridian.get("/api/v1/query?query=up%7Bjob%3D%22federate-cluster1%22%7D").body())
          .contains("\"1\"]");
      assertThat(meridian.get("/api/v1/query?query=count(%7Bjob%3D%22other%22%7D)").body())
          .contains("\"result\":[]");
    }
  }

  @Test
  void prometheusFederatesFromMeridian() throws Exception {
    PrometheusPeer.assumeInstalled();
    Head head = new Head(HeadOptions.defaults(), Journal.NONE);
    long now = Clock.system().millis();
    Appender app = head.appender();
    for (long t = now - 120_000; t <= now; t += 15_000) {
      for (int i = 0; i < 3; i++) {
        app.append(
            Labels.of("__name__", "node_load1", "job", "kubernetes-nodes", "instance", "n" + i),
            t,
            i + 0.5);
        app.append(
            Labels.of(
                "__name__", "container_cpu_usage_seconds_total",
                "job", "kubernetes-pods",
                "namespace", "default",
                "pod", "p" + i),
            t,
            (t - now + 120_000) / 1000.0 * (i + 1));
      }
      app.append(Labels.of("__name__", "secret_metric", "job", "other"), t, 42);
    }
    app.commit();
    ApiBackend backend =
        new ApiBackend(
            head,
            new Engine(EngineOptions.defaults(), Clock.system()),
            null,
            Clock.system(),
            BuildInfo.current(),
            Map.of(),
            () -> true,
            new PrometheusRegistry(),
            () -> Labels.of("cluster", "cluster1", "region", "eu"),
            true,
            null,
            Map::of,
            () -> "");
    try (WebServer meridian = WebServer.start("127.0.0.1:0", backend);
        PrometheusPeer prometheus =
            PrometheusPeer.start(
                tmp,
                Files.createDirectories(tmp.resolve("prom")),
                GUIDE_CONFIG.replace("PORT", Integer.toString(meridian.port())),
                Duration.ofSeconds(60))) {
      JsonNode up =
          prometheus.awaitQuery(
              "up{job=\"federate-cluster1\"}", -1, v -> v.path(1).asText().equals("1"));
      assertThat(up).hasSize(1);
      JsonNode nodes = prometheus.awaitQuery("count(node_load1)", -1, v -> v.path(1).asInt() == 3);
      assertThat(nodes).hasSize(1);
      JsonNode load = prometheus.query("node_load1{instance=\"n2\"}", -1);
      assertThat(load.get(0).path("metric").toString())
          .isEqualTo(
              "{\"__name__\":\"node_load1\",\"cluster\":\"cluster1\",\"instance\":\"n2\","
                  + "\"job\":\"kubernetes-nodes\",\"region\":\"eu\"}");
      assertThat(load.get(0).path("value").path(1).asText()).isEqualTo("2.5");
      assertThat(prometheus.query("container_cpu_usage_seconds_total", -1)).hasSize(3);
      assertThat(prometheus.query("secret_metric", -1)).isEmpty();
      prometheus.stop();
    }
  }
}
