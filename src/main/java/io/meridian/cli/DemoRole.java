package io.meridian.cli;

import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One of the demo's roles (a cluster's server, the receiver, the central server), run in the demo's
 * JVM: started from its settings, stopped cleanly, and started again on the same data when the
 * demo's chaos asks for it.
 */
final class DemoRole {
  private static final Logger log = LoggerFactory.getLogger(DemoRole.class);

  private final String name;
  private final int port;
  private final Callable<AutoCloseable> starter;
  private AutoCloseable running;

  DemoRole(String name, int port, Callable<AutoCloseable> starter) {
    this.name = name;
    this.port = port;
    this.starter = starter;
  }

  String name() {
    return name;
  }

  int port() {
    return port;
  }

  synchronized boolean isRunning() {
    return running != null;
  }

  /**
   * Starts the role; ready to answer when this returns.
   *
   * @throws Exception saying which role failed and why
   */
  synchronized void start() throws Exception {
    if (running != null) {
      return;
    }
    try {
      running = starter.call();
    } catch (Exception e) {
      throw new Exception(name + " failed to start on port " + port + ": " + reason(e), e);
    }
  }

  /** Stops the role cleanly (its remote write flushes, its TSDB closes); a failure is logged. */
  synchronized void stop() {
    if (running == null) {
      return;
    }
    try {
      running.close();
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      log.error("stopping {} failed: {}", name, e.toString());
    } finally {
      running = null;
    }
  }

  private static String reason(Exception e) {
    String m = e.getMessage();
    return m == null || m.isBlank() ? e.toString() : m;
  }
}
