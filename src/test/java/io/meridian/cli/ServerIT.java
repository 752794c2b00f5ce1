package io.meridian.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.testing.FreePort;
import io.meridian.testing.MeridianProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code meridian server} as a process: it comes up ready, answers, and stops cleanly. */
class ServerIT {
  @TempDir Path dir;

  /** The route prefix a test's server runs under ({@code --web.external-url}'s path). */
  private String prefix = "";

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private Process start(int port, Path log, String... extra) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("./meridian", "server"));
    Path config = dir.resolve("prometheus.yml");
    if (!Files.exists(config)) {
      Files.writeString(
          config,
          """
          global:
            scrape_interval: 1s
            external_labels:
              cluster: c1
          scrape_configs:
            - job_name: self
              basic_auth: {username: u, password: hunter2}
              metrics_path: %s/metrics
              static_configs:
                - targets: ['127.0.0.1:%d']
          """
              .formatted(prefix, port));
    }
    cmd.add("--config.file=" + config);
    cmd.add("--storage.tsdb.path=" + dir.resolve("data"));
    cmd.add("--web.listen-address=127.0.0.1:" + port);
    cmd.addAll(List.of(extra));
    return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }

  private HttpResponse<String> get(int port, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + prefix + path))
            .timeout(Duration.ofSeconds(5))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private void awaitReady(Process p, int port, Path log) throws Exception {
    MeridianProcess.awaitReady(
        p, URI.create("http://127.0.0.1:" + port + prefix + "/-/ready"), log);
  }

  @Test
  void servesTheApiAndStopsCleanlyOnSigterm() throws Exception {
    int port = FreePort.pick();
    Path log = dir.resolve("server.log");
    Process p = start(port, log, "--query.timeout=30s", "--log.format=json");
    try {
      awaitReady(p, port, log);
      HttpResponse<String> q = get(port, "/api/v1/query?query=1%2B1&time=10");
      assertThat(q.body())
          .isEqualTo(
              "{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[10,\"2\"]}}");
      // It scrapes itself: up, then its own TSDB metrics, arrive through the query API.
      String up = "";
      for (int i = 0; i < 300 && !up.contains("\"1\"]"); i++) {
        up = get(port, "/api/v1/query?query=" + "up%7Bjob%3D%22self%22%7D").body();
        p.waitFor(100, TimeUnit.MILLISECONDS);
      }
      assertThat(up).contains("\"instance\":\"127.0.0.1:" + port + "\"").contains("\"1\"]");
      String targets = get(port, "/api/v1/targets").body();
      assertThat(targets)
          .contains("\"scrapePool\":\"self\"")
          .contains("\"health\":\"up\"")
          .contains("\"labels\":{\"instance\":\"127.0.0.1:" + port + "\",\"job\":\"self\"}")
          .contains("\"scrapeUrl\":\"http://127.0.0.1:" + port + "/metrics\"");
      assertThat(targets).containsPattern("\"lastScrapeDuration\":[0-9.eE-]+,");
      assertThat(get(port, "/api/v1/targets?state=dropped").body())
          .contains("\"activeTargets\":[]");
      // What the target said about its metric families, merged and per target.
      assertThat(get(port, "/api/v1/metadata?metric=jvm_threads_current").body())
          .isEqualTo(
              "{\"status\":\"success\",\"data\":{\"jvm_threads_current\":[{\"type\":\"gauge\","
                  + "\"help\":\"Current thread count of a JVM\",\"unit\":\"\"}]}}");
      assertThat(get(port, "/api/v1/metadata?limit=2").body())
          .matches(
              "\\{\"status\":\"success\",\"data\":\\{\"[a-z_]+\":\\[[^]]*],\"[a-z_]+\":\\[[^]]*]}}");
      assertThat(
              get(port, "/api/v1/targets/metadata?match_target=%7Bjob%3D%22self%22%7D&limit=1")
                  .body())
          .startsWith(
              "{\"status\":\"success\",\"data\":[{\"target\":{\"instance\":\"127.0.0.1:"
                  + port
                  + "\",\"job\":\"self\"},\"metric\":");
      // The config as loaded, its secrets hidden.
      String config = get(port, "/api/v1/status/config").body();
      assertThat(config).contains("password: <secret>").contains("job_name: self");
      assertThat(config).doesNotContain("hunter2");
      assertThat(get(port, "/api/v1/query_exemplars?query=up").body())
          .isEqualTo("{\"status\":\"success\",\"data\":[]}");
      String metrics = get(port, "/metrics").body();
      assertThat(metrics).contains("meridian_tsdb_head_series").contains("jvm_memory_used_bytes");
      assertThat(get(port, "/api/v1/status/flags").body()).contains("\"query.timeout\":\"30s\"");
      assertThat(post(port, "/-/reload").statusCode()).isEqualTo(403); // lifecycle off
      p.destroy(); // SIGTERM
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("stopped on SIGTERM").isTrue();
      assertThat(Files.readString(log)).contains("stopping").contains("\"msg\":\"stopped\"");
      assertThat(Files.readAllLines(log))
          .filteredOn(l -> l.startsWith("{"))
          .isNotEmpty()
          .allSatisfy(l -> assertThat(l).matches("\\{\"ts\":\"[^\"]+\",\"level\":\"[a-z]+\",.*}"));
    } finally {
      p.destroyForcibly();
    }
    // The directory opens again: nothing left locked or half-written.
    Process again = start(port, log);
    try {
      awaitReady(again, port, log);
    } finally {
      again.destroy();
      again.waitFor(30, TimeUnit.SECONDS);
      again.destroyForcibly();
    }
  }

  @Test
  void reloadOnSighupOrPostAppliesANewConfigAndRefusesABrokenOne() throws Exception {
    int port = FreePort.pick();
    Path log = dir.resolve("reload.log");
    prefix = "/prom";
    Process p =
        start(port, log, "--web.enable-lifecycle", "--web.external-url=http://example.org/prom/");
    try {
      awaitReady(p, port, log);
      Path config = dir.resolve("prometheus.yml");
      Files.writeString(
          config,
          Files.readString(config)
              + """
                - job_name: again
                  metrics_path: %s/metrics
                  static_configs:
                    - targets: ['127.0.0.1:%d']
              """
                  .formatted(prefix, port));
      Process hup = new ProcessBuilder("kill", "-HUP", Long.toString(p.pid())).start();
      assertThat(hup.waitFor(10, TimeUnit.SECONDS) && hup.exitValue() == 0).isTrue();
      String up = "";
      for (int i = 0; i < 300 && !up.contains("\"1\"]"); i++) {
        up = get(port, "/api/v1/query?query=up%7Bjob%3D%22again%22%7D").body();
        p.waitFor(100, TimeUnit.MILLISECONDS);
      }
      assertThat(up).contains("\"job\":\"again\"").contains("\"1\"]");
      Files.writeString(config, "scrape_configs:\n  - job_nme: x\n");
      HttpResponse<String> refused = post(port, "/-/reload");
      assertThat(refused.statusCode()).isEqualTo(500);
      assertThat(refused.body()).startsWith("failed to reload config: ").contains("job_nme");
      assertThat(get(port, "/-/healthy").statusCode()).isEqualTo(200);
      // Everything is under the external URL's path, nothing at the root.
      prefix = "";
      assertThat(get(port, "/-/healthy").statusCode()).isEqualTo(404);
    } finally {
      p.destroy();
      p.waitFor(30, TimeUnit.SECONDS);
      p.destroyForcibly();
    }
  }

  private HttpResponse<String> post(int port, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + prefix + path))
            .POST(HttpRequest.BodyPublishers.noBody())
            .timeout(Duration.ofSeconds(10))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void fileSdTargetsComeAndGoAndShowTheirFileInTheTargetsApi() throws Exception {
    int port = FreePort.pick();
    Path sd = Files.createDirectory(dir.resolve("sd"));
    Files.writeString(
        dir.resolve("prometheus.yml"),
        """
        global:
          scrape_interval: 1s
        scrape_configs:
          - job_name: files
            file_sd_configs:
              - files: ['sd/*.json']
        """);
    Path log = dir.resolve("sd.log");
    Process p = start(port, log);
    try {
      awaitReady(p, port, log);
      Path file = sd.resolve("self.json");
      Path tmp = sd.resolve("self.json.tmp");
      Files.writeString(tmp, "[{\"targets\": [\"127.0.0.1:%d\"]}]".formatted(port));
      Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      String targets = "";
      for (int i = 0; i < 300 && !targets.contains("\"health\":\"up\""); i++) {
        p.waitFor(100, TimeUnit.MILLISECONDS);
        targets = get(port, "/api/v1/targets").body();
      }
      assertThat(targets)
          .contains("\"health\":\"up\"")
          .contains("\"__meta_filepath\":\"" + file + "\"")
          .contains("\"labels\":{\"instance\":\"127.0.0.1:" + port + "\",\"job\":\"files\"}");
      Files.delete(file);
      for (int i = 0; i < 300 && !targets.contains("\"activeTargets\":[]"); i++) {
        p.waitFor(100, TimeUnit.MILLISECONDS);
        targets = get(port, "/api/v1/targets").body();
      }
      assertThat(targets).contains("\"activeTargets\":[]");
    } finally {
      p.destroy();
      p.waitFor(30, TimeUnit.SECONDS);
      p.destroyForcibly();
    }
  }

  @Test
  void aConfigWithATypoStopsTheStartNamingFileLineAndField() throws Exception {
    Path bad = dir.resolve("bad.yml");
    Files.writeString(bad, "global:\n  scrape_intervall: 15s\n");
    Process p =
        new ProcessBuilder(
                "./meridian",
                "server",
                "--config.file=" + bad,
                "--storage.tsdb.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:0")
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isEqualTo(1);
    assertThat(out).contains("bad.yml:2:").contains("scrape_intervall");
  }

  @Test
  void badFlagsAreRefusedWithTheReason() throws Exception {
    Process p =
        new ProcessBuilder(
                "./meridian",
                "server",
                "--storage.tsdb.retention.time=forever",
                "--web.listen-address=127.0.0.1:0")
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isEqualTo(2);
    assertThat(out).contains("--storage.tsdb.retention.time");
  }
}
