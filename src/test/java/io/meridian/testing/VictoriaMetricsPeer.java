package io.meridian.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's VictoriaMetrics (single node) as a peer in integration tests: started on a free loopback
 * port and a data directory, with what it sees answered at once (no query latency offset, no result
 * cache), fed through its remote write endpoint and asked through its Prometheus query API.
 */
public final class VictoriaMetricsPeer implements AutoCloseable {
  public static final Path BINARY = Path.of("/usr/bin/victoria-metrics");

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final Process process;
  private final Path log;
  private final int port;

  private VictoriaMetricsPeer(Process process, Path log, int port) {
    this.process = process;
    this.log = log;
    this.port = port;
  }

  /** Skips the calling test with a clear message when VictoriaMetrics is not installed. */
  public static void assumeInstalled() {
    assumeTrue(
        isInstalled(),
        "Debian's victoria-metrics is not installed (.ci/run installs the victoria-metrics"
            + " package)");
  }

  public static boolean isInstalled() {
    return Files.isExecutable(BINARY);
  }

  /** Starts VictoriaMetrics on {@code data} and waits (up to 30 s) until it answers. */
  public static VictoriaMetricsPeer start(Path workDir, Path data) throws Exception {
    int port = FreePort.pick();
    Path log = Files.createTempFile(workDir, "victoria-metrics", ".log");
    List<String> cmd = new ArrayList<>();
    cmd.add(BINARY.toString());
    cmd.add("-httpListenAddr=127.0.0.1:" + port);
    cmd.add("-storageDataPath=" + data);
    cmd.add("-retentionPeriod=100y");
    // Samples become visible to queries as soon as they are flushed, not 30 s later, and no answer
    // is served from a cache filled before the data arrived.
    cmd.add("-search.latencyOffset=0s");
    cmd.add("-search.disableCache");
    Process p =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    p.getOutputStream().close();
    VictoriaMetricsPeer peer = new VictoriaMetricsPeer(p, log, port);
    for (int i = 0; i < 300; i++) {
      assertThat(p.isAlive()).as("victoria-metrics died: %s", peer.logText()).isTrue();
      try {
        if (peer.get("/health").statusCode() == 200) {
          return peer;
        }
      } catch (IOException e) {
        // not listening yet
      }
      p.waitFor(100, TimeUnit.MILLISECONDS);
    }
    peer.close();
    throw new AssertionError("victoria-metrics not ready in 30 s: " + peer.logText());
  }

  public int port() {
    return port;
  }

  /** Makes every sample received so far visible to queries. */
  public void flush() throws IOException, InterruptedException {
    HttpResponse<String> resp = get("/internal/force_flush");
    assertThat(resp.statusCode()).as("force_flush: %s", resp.body()).isEqualTo(200);
  }

  public HttpResponse<String> get(String path) throws IOException, InterruptedException {
    HttpRequest req =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(10))
            .build();
    return http.send(req, HttpResponse.BodyHandlers.ofString());
  }

  /** Stops with SIGTERM, killing it if it has not exited within 10 s. */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  public String logText() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }
}
