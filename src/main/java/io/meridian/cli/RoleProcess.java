package io.meridian.cli;

import java.io.IOException;
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

/**
 * One Meridian role run as a child process of this one (the demo's clusters, receiver and central
 * server): the same Java and class path, the server's JVM options, its output in a log file.
 * Stopping sends SIGTERM and waits for the role's clean stop, then kills what is left.
 */
final class RoleProcess implements AutoCloseable {
  /** The launcher's options for long-running roles: a small heap that gives memory back. */
  private static final List<String> JVM_OPTIONS =
      List.of(
          "-XX:+UseSerialGC",
          "-Xms32m",
          "-Xmn16m",
          "-XX:MinHeapFreeRatio=5",
          "-XX:MaxHeapFreeRatio=20",
          "-XX:TrimNativeHeapInterval=30000");

  private final String name;
  private final int port;
  private final Path log;
  private final List<String> args;
  private final Process process;

  private RoleProcess(String name, int port, Path log, List<String> args, Process process) {
    this.name = name;
    this.port = port;
    this.log = log;
    this.args = List.copyOf(args);
    this.process = process;
  }

  /** Starts {@code meridian ARGS...} as {@code name}, listening on {@code port}. */
  static RoleProcess start(String name, int port, Path log, List<String> args) throws IOException {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> cmd = new ArrayList<>();
    cmd.add(java);
    cmd.addAll(JVM_OPTIONS);
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(Main.class.getName());
    cmd.addAll(args);
    ProcessBuilder pb =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    pb.environment().put("MALLOC_ARENA_MAX", "2");
    Process p = pb.start();
    p.getOutputStream().close();
    return new RoleProcess(name, port, log, args, p);
  }

  /** Stops this role cleanly and starts it again with the same arguments (and data). */
  RoleProcess restart() throws IOException {
    close();
    return start(name, port, log, args);
  }

  String name() {
    return name;
  }

  int port() {
    return port;
  }

  long pid() {
    return process.pid();
  }

  URI url(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  /**
   * Waits until {@code /-/ready} answers 200.
   *
   * @throws IOException naming the role, with the end of its log, if it exits or is not ready in
   *     time
   */
  void awaitReady(HttpClient http, Duration timeout, io.meridian.util.Clock clock)
      throws IOException, InterruptedException {
    long until = clock.nanos() + timeout.toNanos();
    while (clock.nanos() < until) {
      if (!process.isAlive()) {
        throw new IOException(name + " exited with status " + process.exitValue() + ":\n" + tail());
      }
      try {
        HttpResponse<Void> r =
            http.send(
                HttpRequest.newBuilder(url("/-/ready")).timeout(Duration.ofSeconds(2)).build(),
                HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      process.waitFor(200, TimeUnit.MILLISECONDS);
    }
    throw new IOException(name + " was not ready within " + timeout + ":\n" + tail());
  }

  /** The last lines of the role's log. */
  String tail() {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  boolean alive() {
    return process.isAlive();
  }

  /** Asks the role to stop (SIGTERM) without waiting. */
  void requestStop() {
    process.destroy();
  }

  /** Stops the role: SIGTERM, up to 30 s for its clean stop, then SIGKILL. */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
