package io.meridian.scrape;

import io.meridian.util.Clock;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Waits for a time on a clock, so scrape loops can be driven by a simulated one in tests. */
public interface Scheduler {

  /**
   * Blocks until the clock reads {@code t} or later, or until {@code stop} is true; a waiting
   * thread is woken early with {@link LockSupport#unpark} to look at {@code stop} again.
   *
   * @return whether {@code t} was reached (false: stopped)
   */
  boolean awaitUntil(long t, BooleanSupplier stop);

  /** Waits on {@code clock} by parking the thread for the time left. */
  static Scheduler parking(Clock clock) {
    return (t, stop) -> {
      while (!stop.getAsBoolean()) {
        long left = t - clock.millis();
        if (left <= 0) {
          return true;
        }
        LockSupport.parkNanos(left * 1_000_000L);
      }
      return false;
    };
  }
}
