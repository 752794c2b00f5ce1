package io.meridian.storage;

/**
 * A forward-only cursor over one series' float samples, in strictly increasing timestamp order.
 * Allocation-free: the current sample is read with {@link #t()} and {@link #v()}, never returned as
 * an object.
 *
 * <p>It starts before the first sample. {@code t()} and {@code v()} are defined only after {@code
 * next()} or {@code seek()} returned true. Once either returned false the iterator is exhausted and
 * stays so. Not thread-safe.
 */
public interface SampleIterator {

  /** Moves to the next sample; false when there is none. */
  boolean next();

  /**
   * Moves forward to the first sample with timestamp {@code >= t}. If the current sample already
   * has such a timestamp, stays where it is: seek never moves backward. On a fresh iterator it
   * considers the first sample too.
   *
   * @return whether such a sample exists
   */
  boolean seek(long t);

  /** Timestamp of the current sample, ms. */
  long t();

  /** Value of the current sample, bit for bit as stored. */
  double v();

  /** An iterator with no samples. */
  static SampleIterator empty() {
    return EmptySampleIterator.INSTANCE;
  }
}
