package io.meridian.storage;

import io.meridian.model.Matcher;
import java.util.List;

/** Selects series and their samples within a time range. See {@link LabelQuerier} for the rest. */
public interface Querier extends LabelQuerier {

  /**
   * The series matching all {@code matchers} that have data in the querier's range, each iterating
   * only its samples in that range. "Data in range" is judged by chunk, as Prometheus does: a
   * series whose chunk spans the range without a sample inside it may come with an empty iterator.
   * A series with a sample in range is never left out.
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
