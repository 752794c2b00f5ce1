package io.meridian.scrape;

import io.meridian.testing.ManualClock;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Assumptions;

/**
 * A scheduler on a {@link ManualClock}: loops wait until the test moves the clock, and the test can
 * wait until every loop is idle again (waiting for a time still ahead).
 */
final class SimScheduler implements Scheduler {
  private final ManualClock clock;
  private final Map<Thread, Long> waiting = new HashMap<>();

  SimScheduler(ManualClock clock) {
    this.clock = clock;
  }

  @Override
  public synchronized boolean awaitUntil(long t, BooleanSupplier stop) {
    Thread me = Thread.currentThread();
    waiting.put(me, t);
    notifyAll();
    try {
      while (!stop.getAsBoolean() && clock.millis() < t) {
        wait(5);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } finally {
      waiting.remove(me);
      notifyAll();
    }
    return !stop.getAsBoolean();
  }

  /** Sets the clock to {@code t} and waits until {@code loops} loops wait for a later time. */
  synchronized void advanceTo(long t, int loops) throws InterruptedException {
    clock.setMillis(t);
    notifyAll();
    awaitIdle(loops);
  }

  /** Waits (up to about 10 s) until exactly {@code loops} loops wait for a time after now. */
  synchronized void awaitIdle(int loops) throws InterruptedException {
    for (int i = 0; i < 2000 && !idle(loops); i++) {
      wait(5);
    }
    if (!idle(loops)) {
      throw new AssertionError("loops not idle: " + waiting.values() + " at " + clock.millis());
    }
  }

  /**
   * A time after now and before any waiting loop's next wakeup, for a test to act between scrapes:
   * the slots hang on the hash of each target's (random) port, so no fixed time is safe.
   */
  synchronized long beforeNextWakeup() {
    long now = clock.millis();
    long next = waiting.values().stream().mapToLong(Long::longValue).min().orElse(now + 2);
    Assumptions.assumeTrue(next - now >= 2, "a loop wakes right after now; nothing fits between");
    return now + (next - now) / 2;
  }

  /** The times the waiting loops wait for. */
  synchronized java.util.List<Long> wakeups() {
    return waiting.values().stream().sorted().toList();
  }

  private boolean idle(int loops) {
    return waiting.size() == loops && waiting.values().stream().allMatch(t -> t > clock.millis());
  }
}
