package io.meridian.storage;

import io.meridian.model.Matcher;
import java.util.List;

/** Selects series and their samples within a time range. See {@link LabelQuerier} for the rest. */
public interface Querier extends LabelQuerier {

  /**
   * The series matching all {@code matchers} that have at least one sample in the querier's range,
   * each iterating only its samples in that range.
   *
   * <p>At least one matcher must not match the empty string ({@code {foo=""}} alone would select
   * everything); PromQL and the API enforce this before calling.
   *
   * @param sorted whether the series must come in {@link io.meridian.model.Labels} order; merging
   *     several queriers needs it, and unsorted can be cheaper
   * @return a set the caller iterates once; valid until this querier is closed
   */
  SeriesSet select(boolean sorted, SelectHints hints, List<Matcher> matchers);
}
