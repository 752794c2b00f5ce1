package io.meridian.storage;

import io.meridian.model.Labels;

/** One series of a {@link ChunkSeriesSet}: its labels and a way to walk its chunks. */
public interface ChunkSeries {

  /** The series' labels. */
  Labels labels();

  /** An iterator over the series' chunks, positioned before the first; {@code reuse} as usual. */
  ChunkIterator chunks(ChunkIterator reuse);
}
