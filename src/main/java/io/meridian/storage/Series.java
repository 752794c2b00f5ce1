package io.meridian.storage;

import io.meridian.model.Labels;

/** One series of a {@link SeriesSet}: its labels and a way to walk its samples. */
public interface Series {

  /** The series' labels. */
  Labels labels();

  /**
   * An iterator over the series' samples in the querier's range, positioned before the first.
   *
   * @param reuse an iterator this series set handed out earlier that the caller is done with, or
   *     null. The implementation may reset and return it instead of allocating; the caller must not
   *     use {@code reuse} afterwards except as the returned value
   */
  SampleIterator iterator(SampleIterator reuse);
}
