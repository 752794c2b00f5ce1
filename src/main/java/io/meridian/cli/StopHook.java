package io.meridian.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A long-running role's stop on SIGTERM or Ctrl-C. The JVM halts once its shutdown hooks return, so
 * the hook waits (bounded) until the role has closed everything — scrapes, web server, TSDBs — and
 * a stop is clean.
 */
final class StopHook implements AutoCloseable {
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final CountDownLatch closed = new CountDownLatch(1);
  private final Thread hook;

  private StopHook() {
    hook =
        new Thread(
            () -> {
              stopped.countDown();
              try {
                closed.await(2, TimeUnit.MINUTES);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "meridian-shutdown");
  }

  static StopHook install() {
    StopHook h = new StopHook();
    Runtime.getRuntime().addShutdownHook(h.hook);
    return h;
  }

  /** Blocks until a stop is asked for. */
  void await() throws InterruptedException {
    stopped.await();
  }

  /** Waits up to {@code timeout} for a stop; true if one was asked for. */
  boolean await(java.time.Duration timeout) throws InterruptedException {
    return stopped.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Says everything is closed: the hook returns and the JVM may halt. */
  @Override
  public void close() {
    closed.countDown();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // already shutting down
    }
  }
}
