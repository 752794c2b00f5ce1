package io.meridian.testing;

import static org.assertj.core.api.Assertions.assertThat;

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
 * {@code ./meridian server} as a child process on a free loopback port, for tests that put it
 * beside a peer: started with a config, awaited until ready, stopped with SIGTERM, and started
 * again on the same data directory and port.
 */
public final class MeridianProcess implements AutoCloseable {
  private final Process process;
  private final List<String> command;
  private final Path dataDir;
  private final Path log;
  private final int port;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private MeridianProcess(Process process, List<String> command, Path dataDir, Path log, int port) {
    this.process = process;
    this.command = command;
    this.dataDir = dataDir;
    this.log = log;
    this.port = port;
  }

  /**
   * Starts a server and waits (up to a minute: the first start may build the jar) until ready.
   *
   * @param config the YAML config; {@code %1$d} in it stands for the server's own port
   */
  public static MeridianProcess start(Path workDir, String config, String... extraFlags)
      throws Exception {
    int port = FreePort.pick();
    Path configFile = Files.createTempFile(workDir, "meridian", ".yml");
    Files.writeString(configFile, config.formatted(port));
    List<String> flags = new ArrayList<>(List.of("--config.file=" + configFile));
    flags.addAll(List.of(extraFlags));
    return launch(workDir, "server", port, flags);
  }

  /**
   * Starts {@code meridian agent} with {@code config} (as for {@link #start}); waits until ready.
   */
  public static MeridianProcess agent(Path workDir, String config, String... extraFlags)
      throws Exception {
    int port = FreePort.pick();
    Path configFile = Files.createTempFile(workDir, "agent", ".yml");
    Files.writeString(configFile, config.formatted(port));
    List<String> flags = new ArrayList<>(List.of("--config.file=" + configFile));
    flags.addAll(List.of(extraFlags));
    return launch(workDir, "agent", port, flags);
  }

  /** Starts {@code meridian receive} on a fresh data directory and waits until ready. */
  public static MeridianProcess receive(Path workDir, String... extraFlags) throws Exception {
    return launch(workDir, "receive", FreePort.pick(), List.of(extraFlags));
  }

  /** Runs {@code ./meridian ROLE} on a fresh data directory and {@code port}; waits until ready. */
  private static MeridianProcess launch(Path workDir, String role, int port, List<String> flags)
      throws Exception {
    Path log = Files.createTempFile(workDir, role, ".log");
    Path data = Files.createTempDirectory(workDir, role + "-data");
    List<String> cmd = new ArrayList<>(List.of("./meridian", role));
    cmd.add((role.equals("agent") ? "--storage.agent.path=" : "--storage.tsdb.path=") + data);
    cmd.add("--web.listen-address=127.0.0.1:" + port);
    cmd.addAll(flags);
    return run(cmd, data, log, port);
  }

  private static MeridianProcess run(List<String> cmd, Path data, Path log, int port)
      throws Exception {
    Process p =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    p.getOutputStream().close();
    MeridianProcess m = new MeridianProcess(p, List.copyOf(cmd), data, log, port);
    m.awaitReady();
    return m;
  }

  /**
   * Stops this process (SIGTERM, if still running) and starts the same command again, on the same
   * data directory, port and log, waiting until ready.
   */
  public MeridianProcess restart() throws Exception {
    if (process.isAlive()) {
      stop();
    }
    return run(command, dataDir, log, port);
  }

  /** The data directory ({@code --storage.tsdb.path}). */
  public Path dataDir() {
    return dataDir;
  }

  /**
   * The sum of the self-metric {@code name}'s series in {@code /metrics} whose labels contain every
   * one of {@code labels} (as written there, e.g. {@code remote_name="peer"}); NaN when none does.
   */
  public double metric(String name, String... labels) throws IOException, InterruptedException {
    HttpResponse<String> resp = get("/metrics");
    assertThat(resp.statusCode()).as("/metrics").isEqualTo(200);
    double sum = 0;
    boolean found = false;
    for (String line : resp.body().split("\n", -1)) {
      if (!line.startsWith(name) || line.length() == name.length()) {
        continue;
      }
      char next = line.charAt(name.length());
      if (next != '{' && next != ' ') {
        continue;
      }
      int cut = line.lastIndexOf(' ');
      String series = line.substring(0, cut);
      if (java.util.Arrays.stream(labels).allMatch(series::contains)) {
        sum += Double.parseDouble(line.substring(cut + 1));
        found = true;
      }
    }
    return found ? sum : Double.NaN;
  }

  /** Sends SIGTERM and waits (up to 30 s) for the exit code. */
  public int stop() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      throw new AssertionError("did not stop within 30 s after SIGTERM; log:\n" + logText());
    }
    return process.exitValue();
  }

  private void awaitReady() throws Exception {
    awaitReady(process, URI.create("http://127.0.0.1:" + port + "/-/ready"), log);
  }

  /**
   * Polls {@code ready} for up to a minute (the first start may build the jar), failing with the
   * log when the process exits first or never gets ready.
   */
  public static void awaitReady(Process process, URI ready, Path log) throws Exception {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest request = HttpRequest.newBuilder(ready).timeout(Duration.ofSeconds(5)).build();
    for (int i = 0; i < 600; i++) {
      assertThat(process.isAlive()).as("meridian died: %s", Files.readString(log)).isTrue();
      try {
        if (http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      process.waitFor(100, TimeUnit.MILLISECONDS); // a bounded pause that notices an early exit
    }
    throw new AssertionError("meridian not ready in 60 s: " + Files.readString(log));
  }

  public int port() {
    return port;
  }

  public HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(10))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  public String logText() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  /** Stops with SIGTERM, killing it if it has not exited within 30 s. */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
