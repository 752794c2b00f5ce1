package io.meridian.tsdb.head;

import java.util.Arrays;

/**
 * A series' accepted out-of-order samples, sorted by time: samples older than the series' newest
 * that the out-of-order window let in. Usually few, so a sorted array with insertion is enough.
 * Guarded by the owning series' monitor.
 */
final class OooSamples {
  private long[] ts = new long[4];
  private double[] vs = new double[4];
  private int size;

  int size() {
    return size;
  }

  long t(int i) {
    return ts[i];
  }

  double v(int i) {
    return vs[i];
  }

  /** Index of {@code t}, or {@code -(insertion point) - 1}. */
  int find(long t) {
    return Arrays.binarySearch(ts, 0, size, t);
  }

  /** Inserts a sample; a sample at an existing timestamp is ignored (the first one stays). */
  boolean insert(long t, double v) {
    int i = find(t);
    if (i >= 0) {
      return false;
    }
    i = -i - 1;
    if (size == ts.length) {
      ts = Arrays.copyOf(ts, size * 2);
      vs = Arrays.copyOf(vs, size * 2);
    }
    System.arraycopy(ts, i, ts, i + 1, size - i);
    System.arraycopy(vs, i, vs, i + 1, size - i);
    ts[i] = t;
    vs[i] = v;
    size++;
    return true;
  }

  /** Drops samples before {@code mint}; returns whether none are left. */
  boolean truncateBefore(long mint) {
    int k = 0;
    while (k < size && ts[k] < mint) {
      k++;
    }
    System.arraycopy(ts, k, ts, 0, size - k);
    System.arraycopy(vs, k, vs, 0, size - k);
    size -= k;
    return size == 0;
  }

  /** Whether any sample lies in {@code [mint, maxt]}. */
  boolean overlaps(long mint, long maxt) {
    return size > 0 && ts[0] <= maxt && ts[size - 1] >= mint;
  }
}
