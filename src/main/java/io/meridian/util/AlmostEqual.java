package io.meridian.util;

/**
 * Prometheus's float comparison ({@code almost.Equal}): equal within a relative {@code epsilon},
 * NaN equal to NaN, and values near zero compared against the smallest normal double so that noise
 * there does not count.
 */
public final class AlmostEqual {
  private AlmostEqual() {}

  public static boolean equal(double a, double b, double epsilon) {
    if (Double.isNaN(a) && Double.isNaN(b)) {
      return true;
    }
    if (a == b) {
      return true;
    }
    double absSum = Math.abs(a) + Math.abs(b);
    double diff = Math.abs(a - b);
    if (a == 0 || b == 0 || absSum < Double.MIN_NORMAL) {
      return diff < epsilon * Double.MIN_NORMAL;
    }
    return diff / Math.min(absSum, Double.MAX_VALUE) < epsilon;
  }
}
