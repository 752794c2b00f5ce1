package io.meridian.promql;

import java.util.Arrays;

/**
 * Functions of a range vector, computed on one series' window of samples ({@code ts[lo..hi)},
 * {@code vs[lo..hi)}) without allocating. NaN as a result means "no value" only where {@link #NONE}
 * is returned; other NaNs are real results.
 */
final class RangeFunctions {
  private RangeFunctions() {}

  /** Returned when the window yields no output sample. */
  static final double NONE = Double.longBitsToDouble(0x7ff8dead0000beefL);

  static boolean isNone(double v) {
    return Double.doubleToRawLongBits(v) == 0x7ff8dead0000beefL;
  }

  /**
   * Prometheus's extrapolated rate, increase and delta: the change between the first and last
   * sample in the window (counter resets added back for counters), extrapolated towards the
   * window's ends when the samples come close enough to them.
   */
  static double extrapolatedRate(
      long[] ts,
      double[] vs,
      int lo,
      int hi,
      long rangeStart,
      long rangeEnd,
      long range,
      boolean counter,
      boolean rate,
      boolean resets) {
    int n = hi - lo;
    if (n < 2) {
      return NONE;
    }
    double result = vs[hi - 1] - vs[lo];
    if (counter && resets) { // without a reset in the window the correction is zero
      double last = 0;
      for (int i = lo; i < hi; i++) {
        if (vs[i] < last) {
          result += last;
        }
        last = vs[i];
      }
    }
    double durationToStart = (ts[lo] - rangeStart) / 1000.0;
    double durationToEnd = (rangeEnd - ts[hi - 1]) / 1000.0;
    double sampled = (ts[hi - 1] - ts[lo]) / 1000.0;
    double avgGap = sampled / (n - 1);
    double threshold = avgGap * 1.1;
    double interval = sampled;
    if (durationToStart >= threshold) {
      durationToStart = avgGap / 2;
    }
    if (counter && result > 0 && vs[lo] >= 0) {
      // A counter cannot go below zero: extrapolate no further back than where it would be zero.
      double durationToZero = sampled * (vs[lo] / result);
      if (durationToZero < durationToStart) {
        durationToStart = durationToZero;
      }
    }
    interval += durationToStart;
    if (durationToEnd >= threshold) {
      durationToEnd = avgGap / 2;
    }
    interval += durationToEnd;
    double factor = interval / sampled;
    if (rate) {
      factor /= range / 1000.0;
    }
    return result * factor;
  }

  /** irate and idelta: from the last two samples. */
  static double instantValue(long[] ts, double[] vs, int lo, int hi, boolean rate) {
    if (hi - lo < 2) {
      return NONE;
    }
    double last = vs[hi - 1];
    double prev = vs[hi - 2];
    double result = last - prev;
    if (rate && last < prev) {
      result = last; // a counter reset
    }
    long interval = ts[hi - 1] - ts[hi - 2];
    if (interval == 0) {
      return NONE;
    }
    if (rate) {
      result /= interval / 1000.0;
    }
    return result;
  }

  /** Least-squares slope and intercept at {@code interceptTime}, with compensated sums. */
  static double[] linearRegression(long[] ts, double[] vs, int lo, int hi, long interceptTime) {
    double n = 0;
    double[] sumX = new double[2];
    double[] sumY = new double[2];
    double[] sumXY = new double[2];
    double[] sumX2 = new double[2];
    double initY = vs[lo];
    boolean constY = true;
    for (int i = lo; i < hi; i++) {
      if (constY && i > lo && vs[i] != initY) {
        constY = false;
      }
      n++;
      double x = (ts[i] - interceptTime) / 1e3;
      kahanInc(x, sumX);
      kahanInc(vs[i], sumY);
      kahanInc(x * vs[i], sumXY);
      kahanInc(x * x, sumX2);
    }
    if (constY) {
      if (Double.isInfinite(initY)) {
        return new double[] {Double.NaN, Double.NaN};
      }
      return new double[] {0, initY};
    }
    double sx = sumX[0] + sumX[1];
    double sy = sumY[0] + sumY[1];
    double sxy = sumXY[0] + sumXY[1];
    double sx2 = sumX2[0] + sumX2[1];
    double cov = sxy - sx * sy / n;
    double var = sx2 - sx * sx / n;
    double slope = cov / var;
    double intercept = sy / n - slope * sx / n;
    return new double[] {slope, intercept};
  }

  /** Adds {@code inc} to the compensated sum {@code acc} = {sum, compensation}. */
  static void kahanInc(double inc, double[] acc) {
    double sum = acc[0];
    double t = sum + inc;
    if (Double.isInfinite(t)) {
      acc[1] = 0;
    } else if (Math.abs(sum) >= Math.abs(inc)) {
      acc[1] += (sum - t) + inc;
    } else {
      acc[1] += (inc - t) + sum;
    }
    acc[0] = t;
  }

  static double changes(double[] vs, int lo, int hi) {
    int changes = 0;
    for (int i = lo + 1; i < hi; i++) {
      double cur = vs[i];
      double prev = vs[i - 1];
      if (cur != prev && !(Double.isNaN(cur) && Double.isNaN(prev))) {
        changes++;
      }
    }
    return changes;
  }

  static double resets(double[] vs, int lo, int hi) {
    int resets = 0;
    for (int i = lo + 1; i < hi; i++) {
      if (vs[i] < vs[i - 1]) {
        resets++;
      }
    }
    return resets;
  }

  static double sum(double[] vs, int lo, int hi) {
    double[] acc = new double[2];
    for (int i = lo; i < hi; i++) {
      kahanInc(vs[i], acc);
    }
    return Double.isInfinite(acc[0]) ? acc[0] : acc[0] + acc[1];
  }

  /**
   * Prometheus's mean: a compensated sum divided by the count, switching to a running mean if the
   * sum would overflow (the same arithmetic as {@link Accumulator}'s, over one window).
   */
  static double avg(double[] vs, int lo, int hi) {
    double sum = vs[lo];
    double c = 0;
    double mean = 0;
    boolean incremental = false;
    for (int i = lo + 1; i < hi; i++) {
      double x = vs[i];
      double count = i - lo + 1;
      double current = incremental ? mean : sum;
      if (Double.isInfinite(current)
          && ((Double.isInfinite(x) && (current > 0) == (x > 0))
              || (!Double.isInfinite(x) && !Double.isNaN(x)))) {
        continue;
      }
      if (!incremental) {
        double t = sum + x;
        if (!Double.isInfinite(t)) {
          c += Math.abs(sum) >= Math.abs(x) ? (sum - t) + x : (x - t) + sum;
          sum = t;
          continue;
        }
        incremental = true;
        mean = sum / (count - 1);
        c /= count - 1;
      }
      double q = (count - 1) / count;
      double base = q * mean;
      double inc = x / count;
      double t = base + inc;
      c =
          Double.isInfinite(t)
              ? 0
              : q * c + (Math.abs(base) >= Math.abs(inc) ? (base - t) + inc : (inc - t) + base);
      mean = t;
    }
    return incremental ? mean + c : (sum + c) / (hi - lo);
  }

  static double min(double[] vs, int lo, int hi) {
    double m = vs[lo];
    for (int i = lo + 1; i < hi; i++) {
      if (vs[i] < m || Double.isNaN(m)) {
        m = vs[i];
      }
    }
    return m;
  }

  static double max(double[] vs, int lo, int hi) {
    double m = vs[lo];
    for (int i = lo + 1; i < hi; i++) {
      if (vs[i] > m || Double.isNaN(m)) {
        m = vs[i];
      }
    }
    return m;
  }

  /** The time (seconds) of the window's minimum or maximum; the last one on ties. */
  static double timeOfExtreme(long[] ts, double[] vs, int lo, int hi, boolean max) {
    double m = vs[lo];
    long t = ts[lo];
    for (int i = lo + 1; i < hi; i++) {
      double v = vs[i];
      boolean better = max ? v >= m : v <= m;
      if (better || Double.isNaN(m)) {
        m = v;
        t = ts[i];
      }
    }
    return t / 1000.0;
  }

  static double stdvar(double[] vs, int lo, int hi) {
    double count = 0;
    double[] mean = new double[2];
    double[] aux = new double[2];
    for (int i = lo; i < hi; i++) {
      count++;
      double delta = vs[i] - (mean[0] + mean[1]);
      kahanInc(delta / count, mean);
      kahanInc(delta * (vs[i] - (mean[0] + mean[1])), aux);
    }
    return (aux[0] + aux[1]) / count;
  }

  /** Median absolute deviation from the median. */
  static double mad(double[] vs, int lo, int hi) {
    int n = hi - lo;
    for (int i = lo; i < hi; i++) {
      if (Double.isNaN(vs[i])) {
        return Double.NaN; // a NaN makes the result NaN rather than being dropped
      }
    }
    double[] v = Arrays.copyOfRange(vs, lo, hi);
    double median = Aggregations.quantile(0.5, v, n);
    for (int i = 0; i < n; i++) {
      v[i] = Math.abs(v[i] - median);
    }
    return Aggregations.quantile(0.5, v, n);
  }

  /** Holt's double exponential smoothing; Prometheus 2's holt_winters. */
  static double doubleExponentialSmoothing(double[] vs, int lo, int hi, double sf, double tf) {
    int n = hi - lo;
    if (n < 2) {
      return NONE;
    }
    double s0 = 0;
    double s1 = vs[lo];
    double b = vs[lo + 1] - vs[lo];
    for (int i = 1; i < n; i++) {
      double x = sf * vs[lo + i];
      if (i > 1) {
        b = tf * (s1 - s0) + (1 - tf) * b;
      }
      double y = (1 - sf) * (s1 + b);
      s0 = s1;
      s1 = x + y;
    }
    return s1;
  }
}
