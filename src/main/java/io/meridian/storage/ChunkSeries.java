package io.meridian.storage;

import io.meridian.model.Labels;

/** One series of a {@link ChunkSeriesSet}: its labels and a way to walk its chunks. */
public interface ChunkSeries {

  /** The series' labels. */
  Labels labels();

  /** An iterator over the series' chunks, positioned before the first; {@code reuse} as usual. */
  ChunkIterator chunks(ChunkIterator reuse);

  /** A series whose chunks come from {@code chunks}, a new iterator each call. */
  static ChunkSeries of(Labels labels, java.util.function.Supplier<ChunkIterator> chunks) {
    return new ChunkSeries() {
      @Override
      public Labels labels() {
        return labels;
      }

      @Override
      public ChunkIterator chunks(ChunkIterator reuse) {
        return chunks.get();
      }
    };
  }
}
