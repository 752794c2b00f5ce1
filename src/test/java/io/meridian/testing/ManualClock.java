package io.meridian.testing;

import io.meridian.util.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** A clock that moves only when told to: tests and simulations drive time with it. */
public final class ManualClock implements Clock {
  private final AtomicLong millis;
  private final AtomicLong nanos = new AtomicLong();

  public ManualClock(long startMillis) {
    this.millis = new AtomicLong(startMillis);
  }

  @Override
  public long millis() {
    return millis.get();
  }

  @Override
  public long nanos() {
    return nanos.get();
  }

  /** Moves both readings forward. */
  public void advance(Duration d) {
    if (d.isNegative()) {
      throw new IllegalArgumentException("time does not go back: " + d);
    }
    millis.addAndGet(d.toMillis());
    nanos.addAndGet(d.toNanos());
  }

  /** Sets the wall clock (it may jump back, as real wall clocks do); the monotonic one stays. */
  public void setMillis(long t) {
    millis.set(t);
  }
}
