package io.meridian.tsdb;

import io.meridian.model.Matcher;
import io.meridian.storage.LabelHints;
import io.meridian.storage.Querier;
import io.meridian.storage.SelectHints;
import io.meridian.storage.SeriesSet;
import java.util.List;

/** A querier over nothing: a data directory with no blocks in range. */
final class EmptyQuerier implements Querier {
  @Override
  public SeriesSet select(boolean sorted, SelectHints hints, List<Matcher> matchers) {
    return SeriesSet.empty();
  }

  @Override
  public List<String> labelValues(String name, LabelHints hints, List<Matcher> matchers) {
    return List.of();
  }

  @Override
  public List<String> labelNames(LabelHints hints, List<Matcher> matchers) {
    return List.of();
  }

  @Override
  public void close() {}
}
