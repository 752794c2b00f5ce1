package io.meridian.storage;

import io.meridian.model.Matcher;
import java.util.List;

/** Selects series and their samples within a time range. See {@link LabelQuerier} for the rest. */
public interface Querier extends LabelQuerier {

  /**
   * The series matching all {@code matchers} that have at least one sample in the querier's range,
   * each iterating only its samples in that range.
   *
   * <p>An empty matcher list selects every series (compaction and dumps need that). PromQL and the
   * HTTP API refuse selectors whose matchers all match the empty string before calling; a store
   * does not.
   *
   * @param sorted whether the series must come in {@link io.meridian.model.Labels} order; merging
   *     several queriers needs it, and unsorted can be cheaper
   * @return a set the caller iterates once; valid until this querier is closed
   */
  SeriesSet select(boolean sorted, SelectHints hints, List<Matcher> matchers);
}
