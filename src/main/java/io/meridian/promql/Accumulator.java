package io.meridian.promql;

import io.meridian.model.Labels;
import io.meridian.promql.parser.AggregateOp;

/**
 * Folds the rows of one aggregation group into one value per step, row by row: each row's values
 * are read in order, and the running state per step lives in a few primitive arrays, so a group of
 * thousands of series costs no column-wise walks over them. The arithmetic is Prometheus's:
 * compensated sums, the overflow-safe mean, Welford's variance.
 */
final class Accumulator {
  private final AggregateOp op;
  private final int[] count;
  private final double[] a; // sum, min/max, or mean
  private final double[] c; // compensation, or M2 for the variance
  private final double[] mean; // avg: the incremental mean once the sum overflowed
  private final boolean[] incremental;

  Accumulator(AggregateOp op, int steps) {
    this.op = op;
    this.count = new int[steps];
    this.a = new double[steps];
    this.c = new double[steps];
    boolean avg = op == AggregateOp.AVG;
    this.mean = avg ? new double[steps] : null;
    this.incremental = avg ? new boolean[steps] : null;
  }

  /** Whether {@code op} folds this way (quantile needs every value at once). */
  static boolean handles(AggregateOp op) {
    return switch (op) {
      case SUM, AVG, COUNT, GROUP, MIN, MAX, STDDEV, STDVAR -> true;
      default -> false;
    };
  }

  void add(Row r) {
    double[] v = r.v;
    boolean[] has = r.has;
    for (int i = 0; i < count.length; i++) {
      if (has[i]) {
        add(i, v[i]);
      }
    }
  }

  private void add(int i, double x) {
    int n = ++count[i];
    if (n == 1) {
      a[i] = x;
      c[i] = 0;
      return;
    }
    switch (op) {
      case SUM -> kahan(i, x);
      case AVG -> avg(i, x, n);
      case MIN -> {
        if (a[i] > x || Double.isNaN(a[i])) {
          a[i] = x;
        }
      }
      case MAX -> {
        if (a[i] < x || Double.isNaN(a[i])) {
          a[i] = x;
        }
      }
      case STDDEV, STDVAR -> {
        double delta = x - a[i];
        a[i] += delta / n;
        c[i] += delta * (x - a[i]);
      }
      default -> {
        // count and group need only the count
      }
    }
  }

  private void kahan(int i, double x) {
    double s = a[i];
    double t = s + x;
    if (Double.isInfinite(t)) {
      c[i] = 0;
    } else if (Math.abs(s) >= Math.abs(x)) {
      c[i] += (s - t) + x;
    } else {
      c[i] += (x - t) + s;
    }
    a[i] = t;
  }

  private void avg(int i, double x, int n) {
    double current = incremental[i] ? mean[i] : a[i];
    if (Double.isInfinite(current)) {
      if (Double.isInfinite(x) && (current > 0) == (x > 0)) {
        return;
      }
      if (!Double.isInfinite(x) && !Double.isNaN(x)) {
        return;
      }
    }
    if (!incremental[i]) {
      double t = a[i] + x;
      if (!Double.isInfinite(t)) {
        kahan(i, x);
        return;
      }
      // The sum would overflow: from here on keep a running mean instead.
      incremental[i] = true;
      mean[i] = a[i] / (n - 1);
      c[i] /= n - 1;
    }
    double q = (n - 1) / (double) n;
    double sum = q * mean[i];
    double inc = x / n;
    double comp = q * c[i];
    double t = sum + inc;
    if (Double.isInfinite(t)) {
      comp = 0;
    } else if (Math.abs(sum) >= Math.abs(inc)) {
      comp += (sum - t) + inc;
    } else {
      comp += (inc - t) + sum;
    }
    mean[i] = t;
    c[i] = comp;
  }

  /** The group's output row. */
  Row result(Labels labels) {
    Row o = new Row(labels, count.length);
    for (int i = 0; i < count.length; i++) {
      int n = count[i];
      if (n == 0) {
        continue;
      }
      double v =
          switch (op) {
            case SUM -> Double.isInfinite(a[i]) ? a[i] : a[i] + c[i];
            case AVG -> incremental[i] ? mean[i] + c[i] : (a[i] + c[i]) / n;
            case COUNT -> n;
            case GROUP -> 1;
            case MIN, MAX -> a[i];
            case STDVAR -> variance(i, n);
            case STDDEV -> Math.sqrt(variance(i, n));
            default -> throw new IllegalStateException(op + " is not folded here");
          };
      o.set(i, v);
    }
    return o;
  }

  private double variance(int i, int n) {
    return Double.isNaN(a[i]) || Double.isInfinite(a[i]) ? Double.NaN : c[i] / n;
  }
}
