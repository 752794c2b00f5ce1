package io.meridian.storage;

import java.util.Arrays;
import java.util.NoSuchElementException;

/**
 * Samples held in two parallel arrays, timestamps strictly increasing: decoded remote-read answers,
 * and the tests' reference store. Reusable through {@link #reset}.
 */
public final class ArraySampleIterator implements SampleIterator {
  private long[] ts = new long[0];
  private double[] vs = new double[0];
  private int i = -1;

  public ArraySampleIterator() {}

  public ArraySampleIterator(long[] ts, double[] vs) {
    reset(ts, vs);
  }

  /** Iterates {@code ts} and {@code vs} from before their first sample. */
  public ArraySampleIterator reset(long[] ts, double[] vs) {
    if (ts.length != vs.length) {
      throw new IllegalArgumentException("timestamps and values differ in length");
    }
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
