package io.meridian.storage;

import java.util.List;

/** A forward-only cursor over chunk series; the same rules as {@link SeriesSet}. */
public interface ChunkSeriesSet {

  /** Moves to the next series; false when there are no more. */
  boolean next();

  /** The current series; valid until the next call to {@link #next()}. */
  ChunkSeries at();

  /** Warnings gathered so far. */
  List<String> warnings();
}
