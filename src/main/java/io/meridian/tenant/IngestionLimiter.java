package io.meridian.tenant;

import io.meridian.util.Clock;

/**
 * A tenant's ingestion rate limit, as Cortex and Mimir have it: a token bucket of samples that
 * refills at {@code rate} per second up to {@code burst}. A request takes as many tokens as it
 * holds samples, all or none, so a refused request can be retried whole.
 */
public final class IngestionLimiter {
  private final double rate;
  private final double burst;
  private final Clock clock;
  private double tokens;
  private long last;

  public IngestionLimiter(double rate, double burst, Clock clock) {
    if (rate <= 0 || burst <= 0) {
      throw new IllegalArgumentException("rate and burst must be positive");
    }
    this.rate = rate;
    this.burst = burst;
    this.clock = clock;
    this.tokens = burst;
    this.last = clock.nanos();
  }

  /** Takes {@code samples} tokens if there are that many; false (and takes none) otherwise. */
  public synchronized boolean tryTake(long samples) {
    long now = clock.nanos();
    tokens = Math.min(burst, tokens + (now - last) / 1e9 * rate);
    last = now;
    if (samples > tokens) {
      return false;
    }
    tokens -= samples;
    return true;
  }

  public double rate() {
    return rate;
  }

  public double burst() {
    return burst;
  }
}
