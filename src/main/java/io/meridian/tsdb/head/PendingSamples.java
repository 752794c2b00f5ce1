package io.meridian.tsdb.head;

import java.util.Arrays;

/**
 * The samples of a batch as parallel arrays, so the append path stores no object per sample. Reused
 * across batches; not thread-safe.
 */
public final class PendingSamples {
  private MemSeries[] series = new MemSeries[16];
  private long[] ts = new long[16];
  private double[] vs = new double[16];
  private int size;

  void add(MemSeries s, long t, double v) {
    if (size == ts.length) {
      int n = size * 2;
      series = Arrays.copyOf(series, n);
      ts = Arrays.copyOf(ts, n);
      vs = Arrays.copyOf(vs, n);
    }
    series[size] = s;
    ts[size] = t;
    vs[size] = v;
    size++;
  }

  void clear() {
    Arrays.fill(series, 0, size, null);
    size = 0;
  }

  MemSeries series(int i) {
    return series[i];
  }

  public int size() {
    return size;
  }

  public long ref(int i) {
    return series[i].ref;
  }

  public long t(int i) {
    return ts[i];
  }

  public double v(int i) {
    return vs[i];
  }
}
