package io.meridian.storage;

import io.meridian.model.Matcher;
import java.util.List;

/** Selects series as encoded chunks. See {@link LabelQuerier} for labels. */
public interface ChunkQuerier extends LabelQuerier {

  /**
   * The series matching all {@code matchers} with at least one chunk overlapping the querier's
   * range. Chunks are whole: they may hold samples outside the range, and the caller trims when it
   * decodes. Same matcher rule as {@link Querier#select}.
   *
   * @param sorted whether the series must come in {@link io.meridian.model.Labels} order
   * @return a set the caller iterates once; valid until this querier is closed
   */
  ChunkSeriesSet select(boolean sorted, SelectHints hints, List<Matcher> matchers);
}
