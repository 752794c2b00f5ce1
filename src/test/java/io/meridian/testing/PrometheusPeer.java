package io.meridian.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
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
import java.util.function.Predicate;

/**
 * Debian's Prometheus 2.42 as a peer in integration tests: started on a free loopback port with a
 * given config and data directory, queried through its HTTP API, stopped with SIGTERM (so it closes
 * its head and WAL cleanly). Every wait is bounded by one budget for the whole test.
 */
public final class PrometheusPeer implements AutoCloseable {
  public static final Path BINARY = Path.of("/usr/bin/prometheus");

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final long deadline;
  private final Path log;
  private final int port;
  private final Process process;

  private PrometheusPeer(Process process, Path log, int port, long deadline) {
    this.process = process;
    this.log = log;
    this.port = port;
    this.deadline = deadline;
  }

  /** Skips the calling test with a clear message when Prometheus is not installed. */
  public static void assumeInstalled() {
    assumeTrue(
        Files.isExecutable(BINARY),
        "Debian's prometheus is not installed (.ci/run installs the prometheus package)");
  }

  /**
   * Starts Prometheus and waits until it is ready.
   *
   * @param config the YAML config; {@code %1$d} in it stands for Prometheus's own port
   * @param budget how long the whole use of this peer may take
   */
  public static PrometheusPeer start(
      Path workDir, Path data, String config, Duration budget, String... extraFlags)
      throws Exception {
    long deadline = System.nanoTime() + budget.toNanos();
    int port = FreePort.pick();
    Path configFile = Files.createTempFile(workDir, "prometheus", ".yml");
    Files.writeString(configFile, config.formatted(port));
    Path log = Files.createTempFile(workDir, "prometheus", ".log");
    List<String> cmd = new ArrayList<>();
    cmd.add(BINARY.toString());
    cmd.add("--config.file=" + configFile);
    cmd.add("--storage.tsdb.path=" + data);
    cmd.add("--web.listen-address=127.0.0.1:" + port);
    cmd.addAll(List.of(extraFlags));
    Process p =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    p.getOutputStream().close();
    PrometheusPeer peer = new PrometheusPeer(p, log, port, deadline);
    peer.await("ready", () -> peer.get("/-/ready").statusCode() == 200);
    return peer;
  }

  public int port() {
    return port;
  }

  /** Stops with SIGTERM and waits for a clean exit. */
  public void stop() throws InterruptedException {
    process.destroy();
    assertThat(process.waitFor(remainingMillis(), TimeUnit.MILLISECONDS))
        .as("prometheus stopped; log:\n%s", logText())
        .isTrue();
  }

  /** Kills it if still running (after a failed test). */
  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroyForcibly();
      try {
        process.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** An instant query's {@code data.result}; {@code at < 0} means now. */
  public JsonNode query(String q, long atMillis) throws IOException, InterruptedException {
    String path = "/api/v1/query?query=" + URLEncoder.encode(q, StandardCharsets.UTF_8);
    if (atMillis >= 0) {
      path += "&time=" + atMillis / 1000.0;
    }
    HttpResponse<String> resp = get(path);
    assertThat(resp.statusCode()).as("%s: %s", path, resp.body()).isEqualTo(200);
    return new ObjectMapper().readTree(resp.body()).path("data").path("result");
  }

  /** Polls an instant query until its first series' value passes {@code firstValue}. */
  public JsonNode awaitQuery(String q, long atMillis, Predicate<JsonNode> firstValue)
      throws Exception {
    JsonNode[] out = new JsonNode[1];
    await(
        q,
        () -> {
          JsonNode r = query(q, atMillis);
          out[0] = r;
          return r.size() > 0 && firstValue.test(r.get(0).path("value"));
        });
    return out[0];
  }

  public HttpResponse<String> get(String path) throws IOException, InterruptedException {
    HttpRequest req =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(5))
            .build();
    return http.send(req, HttpResponse.BodyHandlers.ofString());
  }

  /** POSTs an empty form to {@code path} (query string included). */
  public HttpResponse<String> post(String path) throws IOException, InterruptedException {
    HttpRequest req =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(10))
            .POST(HttpRequest.BodyPublishers.noBody())
            .build();
    return http.send(req, HttpResponse.BodyHandlers.ofString());
  }

  /** A condition polled by {@link #await}. */
  public interface Condition {
    boolean holds() throws Exception;
  }

  /** Polls until {@code c} holds, failing when Prometheus exits or the budget runs out. */
  public void await(String what, Condition c) throws Exception {
    while (true) {
      try {
        if (c.holds()) {
          return;
        }
      } catch (ConnectException notListeningYet) {
        // keep polling
      }
      assertThat(deadline - System.nanoTime())
          .as("waiting for %s; log:\n%s", what, logText())
          .isPositive();
      // Waiting on the process paces the loop and notices if it died.
      boolean exited = process.waitFor(200, TimeUnit.MILLISECONDS);
      assertThat(exited)
          .as("prometheus exited waiting for %s; log:\n%s", what, logText())
          .isFalse();
    }
  }

  private long remainingMillis() {
    return Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
  }

  /** What Prometheus logged so far. */
  public String logText() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }
}
