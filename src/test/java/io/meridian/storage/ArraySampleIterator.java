package io.meridian.storage;

import java.util.NoSuchElementException;

/** A sample iterator over two parallel arrays, for tests and models. */
public final class ArraySampleIterator implements SampleIterator {
  private final long[] ts;
  private final double[] vs;
  private int i = -1;

  public ArraySampleIterator(long[] ts, double[] vs) {
    if (ts.length != vs.length) {
      throw new IllegalArgumentException("timestamps and values differ in length");
    }
    this.ts = ts;
    this.vs = vs;
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
    if (i < 0) {
      i = 0;
    }
    while (i < ts.length && ts[i] < t) {
      i++;
    }
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
