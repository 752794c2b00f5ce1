package io.meridian.storage;

import java.util.NoSuchElementException;

/** The iterator with no samples; stateless, so one instance serves all. */
final class EmptySampleIterator implements SampleIterator {
  static final EmptySampleIterator INSTANCE = new EmptySampleIterator();

  private EmptySampleIterator() {}

  @Override
  public boolean next() {
    return false;
  }

  @Override
  public boolean seek(long t) {
    return false;
  }

  @Override
  public long t() {
    throw new NoSuchElementException("empty iterator");
  }

  @Override
  public double v() {
    throw new NoSuchElementException("empty iterator");
  }
}
