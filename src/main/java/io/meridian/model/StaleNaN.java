package io.meridian.model;

/**
 * The staleness marker: a NaN with a particular payload that Prometheus writes when a series
 * disappears. It is told from other NaNs by its bits, never by {@code ==} or {@code isNaN}.
 */
public final class StaleNaN {
  /** The bit pattern Prometheus uses. */
  public static final long BITS = 0x7ff0000000000002L;

  /** The marker as a double. */
  public static final double VALUE = Double.longBitsToDouble(BITS);

  private StaleNaN() {}

  /** Whether {@code v} is the staleness marker. */
  public static boolean is(double v) {
    return Double.doubleToRawLongBits(v) == BITS;
  }
}
