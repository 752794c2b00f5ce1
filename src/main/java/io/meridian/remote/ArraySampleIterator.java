package io.meridian.remote;

import io.meridian.storage.SampleIterator;
import java.util.Arrays;
import java.util.NoSuchElementException;

/** Samples held in two parallel arrays, timestamps strictly increasing. Reusable. */
final class ArraySampleIterator implements SampleIterator {
  private long[] ts = new long[0];
  private double[] vs = new double[0];
  private int i;

  ArraySampleIterator reset(long[] ts, double[] vs) {
    this.ts = ts;
    this.vs = vs;
    this.i = -1;
    return this;
  }

  @Override
  public boolean next() {
    if (i < ts.length) {
      i++;
    }
    return i < ts.length;
  }

  @Override
  public boolean seek(long t) {
    int from = Math.max(i, 0);
    if (from >= ts.length) {
      i = ts.length;
      return false;
    }
    if (ts[from] < t) {
      int at = Arrays.binarySearch(ts, from, ts.length, t);
      from = at >= 0 ? at : -at - 1;
    }
    i = from;
    return i < ts.length;
  }

  @Override
  public long t() {
    check();
    return ts[i];
  }

  @Override
  public double v() {
    check();
    return vs[i];
  }

  private void check() {
    if (i < 0 || i >= ts.length) {
      throw new NoSuchElementException("no current sample");
    }
  }
}
