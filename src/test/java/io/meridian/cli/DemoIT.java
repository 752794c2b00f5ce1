package io.meridian.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meridian.testing.PrometheusPeer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./meridian demo} as a newcomer runs it (shorter intervals and smaller clusters): every
 * cluster's series reach the central server by federation and the receiver by remote write (only
 * the guide's two container metrics there), the guide's query gives one series per matching cluster
 * on both paths with values that agree, and at the end every role is stopped and every port closed.
 */
class DemoIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern URL = Pattern.compile("http://127\\.0\\.0\\.1:(\\d+)");

  /** Starts {@code ./meridian demo ARGS}; its output lines are collected into {@code lines}. */
  private static Process demo(List<String> lines, String... args) throws IOException {
    List<String> cmd = new java.util.ArrayList<>(List.of("./meridian", "demo"));
    cmd.addAll(List.of(args));
    Process demo = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    demo.getOutputStream().close();
    Thread.ofVirtual()
        .start(() -> {
          try (BufferedReader r =
              new BufferedReader(
                  new InputStreamReader(demo.getInputStream(), StandardCharsets.UTF_8))) {
            for (String l = r.readLine(); l != null; l = r.readLine()) {
              lines.add(l);
            }
          } catch (IOException e) {
            lines.add("(output lost: " + e + ")");
          }
        });
    return demo;
  }

  @Test
  void withChaosNothingScrapedIsLostOnTheWayToTheReceiver() throws Exception {
    List<String> lines = new CopyOnWriteArrayList<>();
    Process demo =
        demo(
            lines,
            "--duration=150s",
            "--scrape-interval=2s",
            "--status-interval=5s",
            "--series-per-cluster=400",
            "--chaos",
            "--chaos-period=60s");
    try (HttpClient http = HttpClient.newHttpClient()) {
      await(
          "the demo's welcome", () -> lines.stream().anyMatch(l -> l.startsWith("Ctrl-C")), lines);
      int receiver = port(lines, "receiver");
      int cluster1 = port(lines, "cluster1");
      int cluster2 = port(lines, "cluster2");
      await(
          "a chaos cycle",
          () -> lines.stream().anyMatch(l -> l.contains("chaos: receiver back")),
          lines);
      assertThat(lines).anyMatch(l -> l.contains("chaos: receiver stopped"));
      assertThat(lines).anyMatch(l -> l.contains("chaos: cluster1 restarted"));
      // Once the backlogs drained, a window over the whole outage holds the same samples in the
      // receiver as in each cluster's own server.
      Thread.sleep(15_000);
      double at = System.currentTimeMillis() / 1000.0 - 5;
      for (var c : Map.of("cluster1", cluster1, "cluster2", cluster2).entrySet()) {
        String own = "sum(count_over_time(container_cpu_usage_seconds_total[50s]))";
        String central =
            "sum(count_over_time(container_cpu_usage_seconds_total{cluster=\""
                + c.getKey()
                + "\"}[50s]))";
        double scraped = queryAt(http, c.getValue(), own, at);
        double received = queryAt(http, receiver, central, at);
        assertThat(scraped).as(c.getKey() + " scraped").isPositive();
        assertThat(received).as(c.getKey() + " received of " + scraped).isEqualTo(scraped);
      }
    } finally {
      stop(demo);
    }
  }

  private static double queryAt(HttpClient http, int port, String q, double time)
      throws IOException, InterruptedException {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(
                        "http://127.0.0.1:"
                            + port
                            + "/api/v1/query?time="
                            + time
                            + "&query="
                            + URLEncoder.encode(q, StandardCharsets.UTF_8)))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    JsonNode result = JSON.readTree(r.body()).path("data").path("result");
    return result.isEmpty() ? 0 : result.get(0).path("value").path(1).asDouble();
  }

  @Test
  void everyClusterReachesBothCentralPathsAndTheGuideQueryAgrees() throws Exception {
    List<String> lines = new CopyOnWriteArrayList<>();
    Process demo =
        demo(
            lines,
            "--duration=70s",
            "--scrape-interval=2s",
            "--status-interval=5s",
            "--series-per-cluster=600");
    try (HttpClient http = HttpClient.newHttpClient()) {
      await(
          "the demo's welcome", () -> lines.stream().anyMatch(l -> l.startsWith("Ctrl-C")), lines);
      int central = port(lines, "central server");
      int receiver = port(lines, "receiver");
      assertThat(lines).anyMatch(l -> l.contains("cluster3  server"));

      String guide =
          "sum(rate(container_cpu_usage_seconds_total{cluster=~\"cluster1|cluster2\"}[5m]))"
              + " by (cluster)";
      await(
          "the guide query on both paths",
          () -> query(http, central, guide).size() == 2 && query(http, receiver, guide).size() == 2,
          lines);
      for (String c : List.of("cluster1", "cluster2", "cluster3")) {
        for (String job : List.of("kubernetes-nodes", "kubernetes-pods")) {
          assertThat(query(http, central, "count({cluster=\"" + c + "\",job=\"" + job + "\"})"))
              .as("%s %s federated", c, job)
              .isNotEmpty();
        }
        assertThat(
                query(http, receiver, "count(container_memory_usage_bytes{cluster=\"" + c + "\"})"))
            .as("%s remote-written", c)
            .isNotEmpty();
      }
      // The guide's write_relabel_configs keep only the two container metrics.
      assertThat(query(http, receiver, "count(node_cpu_seconds_total)")).isEmpty();
      assertThat(query(http, central, "count(node_cpu_seconds_total)")).isNotEmpty();

      // Rates from a few samples extrapolate wildly; let both paths gather twenty seconds.
      Thread.sleep(20_000);
      Map<String, Double> viaFederation = query(http, central, guide);
      Map<String, Double> viaRemoteWrite = query(http, receiver, guide);
      assertThat(viaFederation.keySet()).containsExactly("cluster1", "cluster2");
      assertThat(viaRemoteWrite.keySet()).containsExactly("cluster1", "cluster2");
      // The two paths sample the same counters at different moments: rates agree loosely.
      viaFederation.forEach((c, v) ->
          assertThat(viaRemoteWrite.get(c))
              .as(c)
              .isCloseTo(v, org.assertj.core.data.Percentage.withPercentage(25)));

      assertThat(demo.waitFor(150, TimeUnit.SECONDS)).as("the demo ends after --duration").isTrue();
      Thread.sleep(500); // the last lines
      assertThat(demo.exitValue()).as(String.join("\n", lines)).isZero();
      assertThat(lines).anyMatch(l -> l.contains("guide query: central {cluster1="));
      // Each cluster's line carries the numbers its server reports on /metrics.
      assertThat(lines)
          .anyMatch(
              l -> l.matches(".* cluster1 +scraped +[1-9][0-9,]* +sent +[1-9][0-9,]* +lag .*"));
      assertThat(lines).contains("stopped every role");
      for (int p : List.of(central, receiver, central + 11, central + 101)) {
        assertThat(listening(p)).as("port %d closed", p).isFalse();
      }
    } finally {
      stop(demo);
    }
  }

  /**
   * Debian's Prometheus 2.42 as the central server, with the central config {@code --write-configs}
   * writes for the running demo's layout, unchanged: it federates the same series from every
   * cluster as Meridian's central server. With {@code --tenancy per-cluster} the receiver keeps
   * each cluster in its own tenant.
   */
  @Test
  void prometheusWithTheWrittenCentralConfigGetsTheSameSeries(@TempDir Path tmp) throws Exception {
    PrometheusPeer.assumeInstalled();
    List<String> lines = new CopyOnWriteArrayList<>();
    // Pods live far longer than the test, so both central servers see one fixed set of series.
    // Per-cluster tenants here: each cluster's samples land in its own tenant of the receiver.
    String[] shape = {
      "--scrape-interval=2s",
      "--series-per-cluster=500",
      "--pod-lifetime=1000h",
      "--tenancy=per-cluster"
    };
    List<String> args =
        new java.util.ArrayList<>(List.of("--duration=100s", "--status-interval=5s"));
    args.addAll(List.of(shape));
    Process demo = demo(lines, args.toArray(String[]::new));
    try (HttpClient http = HttpClient.newHttpClient()) {
      await(
          "the demo's welcome", () -> lines.stream().anyMatch(l -> l.startsWith("Ctrl-C")), lines);
      int central = port(lines, "central server");
      Path configs = tmp.resolve("configs");
      List<String> write = new java.util.ArrayList<>(List.of("--base-port=" + central));
      write.addAll(List.of(shape));
      write.add("--write-configs=" + configs);
      Process writer = demo(new CopyOnWriteArrayList<>(), write.toArray(String[]::new));
      assertThat(writer.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(writer.exitValue()).isZero();
      String config = Files.readString(configs.resolve("central.yml"));
      try (PrometheusPeer prometheus =
          PrometheusPeer.start(
              tmp, tmp.resolve("prometheus"), config.replace("%", "%%"), Duration.ofSeconds(90))) {
        String up = "count(up{job=~\"federate-.*\"} == 1)";
        prometheus.awaitQuery(up, -1, v -> v.path(1).asDouble() == 3);
        // A window both have scraped several times since Prometheus came up.
        Thread.sleep(8_000);
        long end = System.currentTimeMillis() / 1000 - 1;
        String series =
            "/api/v1/series?match[]=%7Bjob%3D~%22kubernetes-.%2A%22%7D"
                + "&start="
                + (end - 5)
                + "&end="
                + end;
        java.util.Set<JsonNode> fromPrometheus = seriesSet(prometheus.get(series).body());
        java.util.Set<JsonNode> fromMeridian =
            seriesSet(
                http.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + central + series))
                            .build(),
                        HttpResponse.BodyHandlers.ofString())
                    .body());
        assertThat(fromPrometheus).hasSizeGreaterThan(3 * 400);
        assertThat(fromPrometheus).isEqualTo(fromMeridian);
        for (String c : List.of("cluster1", "cluster2", "cluster3")) {
          assertThat(fromPrometheus)
              .as(c)
              .anyMatch(s ->
                  s.path("cluster").asText().equals(c)
                      && s.path("job").asText().equals("kubernetes-pods")
                      && s.path("region").isTextual());
        }
        prometheus.stop();
      }
      int receiver = port(lines, "receiver");
      for (String c : List.of("cluster1", "cluster2", "cluster3")) {
        HttpResponse<String> r =
            http.send(
                HttpRequest.newBuilder(
                        URI.create(
                            "http://127.0.0.1:"
                                + receiver
                                + "/api/v1/query?query="
                                + URLEncoder.encode(
                                    "count by (cluster) (container_memory_usage_bytes)",
                                    StandardCharsets.UTF_8)))
                    .header("X-Scope-OrgID", c)
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode result = JSON.readTree(r.body()).path("data").path("result");
        assertThat(result).as("tenant %s: %s", c, r.body()).hasSize(1);
        assertThat(result.get(0).path("metric").path("cluster").asText()).isEqualTo(c);
      }
    } finally {
      stop(demo);
    }
  }

  @Test
  void aRoleThatCannotStartIsNamedAndNothingIsLeftRunning() throws Exception {
    // The receiver's port (base + 1) taken by someone else.
    int free = 0;
    for (int p = 29090; p < 60000 && free == 0; p += 200) {
      if (!listening(p) && !listening(p + 1) && !listening(p + 11) && !listening(p + 101)) {
        free = p;
      }
    }
    int base = free;
    try (java.net.ServerSocket taken =
        new java.net.ServerSocket(base + 1, 1, java.net.InetAddress.getLoopbackAddress())) {
      List<String> lines = new CopyOnWriteArrayList<>();
      Process demo = demo(lines, "--base-port=" + base, "--series-per-cluster=200");
      assertThat(demo.waitFor(90, TimeUnit.SECONDS)).as("the demo gives up").isTrue();
      Thread.sleep(300); // the last lines
      assertThat(demo.exitValue()).isEqualTo(1);
      assertThat(lines)
          .as(String.join("\n", lines))
          .anyMatch(l -> l.startsWith("demo: receiver failed to start on port " + (base + 1)));
      for (int p : List.of(base, base + 11, base + 12, base + 13, base + 101, base + 103)) {
        assertThat(listening(p)).as("port %d closed", p).isFalse();
      }
      assertThat(taken.isBound()).isTrue();
    }
  }

  private static java.util.Set<JsonNode> seriesSet(String body) throws IOException {
    JsonNode root = JSON.readTree(body);
    assertThat(root.path("status").asText()).as(body).isEqualTo("success");
    java.util.Set<JsonNode> out = new java.util.HashSet<>();
    root.path("data").forEach(out::add);
    return out;
  }

  /** Stops the demo as Ctrl-C does, and kills it if it has not ended within 90 s. */
  private static void stop(Process demo) throws InterruptedException {
    demo.destroy();
    if (!demo.waitFor(90, TimeUnit.SECONDS)) {
      demo.destroyForcibly();
    }
  }

  private static int port(List<String> lines, String role) {
    for (String l : lines) {
      if (l.strip().startsWith(role)) {
        Matcher m = URL.matcher(l);
        if (m.find()) {
          return Integer.parseInt(m.group(1));
        }
      }
    }
    throw new AssertionError("no URL for " + role + " in:\n" + String.join("\n", lines));
  }

  private static Map<String, Double> query(HttpClient http, int port, String q)
      throws IOException, InterruptedException {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(
                        "http://127.0.0.1:"
                            + port
                            + "/api/v1/query?query="
                            + URLEncoder.encode(q, StandardCharsets.UTF_8)))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    Map<String, Double> out = new TreeMap<>();
    for (JsonNode s : JSON.readTree(r.body()).path("data").path("result")) {
      out.put(s.path("metric").path("cluster").asText(""), s.path("value").path(1).asDouble());
    }
    return out;
  }

  private static boolean listening(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static void await(String what, Callable<Boolean> cond, List<String> lines)
      throws Exception {
    long until = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (!cond.call()) {
      if (System.nanoTime() > until) {
        throw new AssertionError(
            "timed out waiting for " + what + ":\n" + String.join("\n", lines));
      }
      Thread.sleep(500);
    }
  }
}
