package io.meridian.promql;

import io.meridian.model.Labels;
import java.util.Arrays;

/** One series of a matrix: labels and points in time order, in primitive arrays. */
public final class RangeSeries {
  private final Labels labels;
  private final long[] ts;
  private final double[] vs;

  /** Takes the first {@code n} points of the arrays (copied). */
  public RangeSeries(Labels labels, long[] ts, double[] vs, int n) {
    this.labels = labels;
    this.ts = Arrays.copyOf(ts, n);
    this.vs = Arrays.copyOf(vs, n);
  }

  public Labels labels() {
    return labels;
  }

  public int size() {
    return ts.length;
  }

  public long t(int i) {
    return ts[i];
  }

  public double v(int i) {
    return vs[i];
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder(labels.toString()).append(" =>");
    for (int i = 0; i < ts.length; i++) {
      b.append(' ').append(vs[i]).append(" @").append(ts[i]);
    }
    return b.toString();
  }
}
