package io.meridian.storage;

import java.util.List;

/**
 * A forward-only cursor over series: {@code while (set.next()) use(set.at());}.
 *
 * <p>Data that cannot be read surfaces as an {@link java.io.UncheckedIOException} from {@code
 * next()} or from a series' iterator; its cause is a {@link CorruptDataException} when the bytes
 * were read but do not check out. Warnings are problems that did not stop the answer, such as a
 * remote store that did not reply, and are complete once {@code next()} has returned false.
 */
public interface SeriesSet {

  /** Moves to the next series; false when there are no more. */
  boolean next();

  /** The current series; valid until the next call to {@link #next()}. */
  Series at();

  /** Warnings gathered so far. */
  List<String> warnings();

  /** The set with no series. */
  static SeriesSet empty() {
    return new ListSeriesSet(List.of());
  }

  /** A set over series already in memory, in the given order. */
  static SeriesSet of(List<? extends Series> series) {
    return new ListSeriesSet(series);
  }

  /**
   * The sample view of a chunk view: each series' samples decoded from its chunks, limited to
   * {@code [mint, maxt]}. How every chunk-level store answers {@link Querier#select}.
   */
  static SeriesSet fromChunks(ChunkSeriesSet chunks, long mint, long maxt) {
    return new SeriesSet() {
      private Series current;

      @Override
      public boolean next() {
        if (!chunks.next()) {
          return false;
        }
        ChunkSeries cs = chunks.at();
        current =
            new Series() {
              @Override
              public io.meridian.model.Labels labels() {
                return cs.labels();
              }

              @Override
              public SampleIterator iterator(SampleIterator reuse) {
                ChunkSampleIterator it =
                    reuse instanceof ChunkSampleIterator r ? r : new ChunkSampleIterator();
                return it.reset(cs.chunks(null), mint, maxt);
              }
            };
        return true;
      }

      @Override
      public Series at() {
        return current;
      }

      @Override
      public List<String> warnings() {
        return chunks.warnings();
      }
    };
  }
}
