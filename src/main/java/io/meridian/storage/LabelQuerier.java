package io.meridian.storage;

import io.meridian.model.Matcher;
import java.util.List;

/**
 * Label names and values of the series in a querier's time range. Implementations may answer from
 * an index at block granularity, so a result can include labels of a series whose samples all lie
 * just outside the range; it never misses a label of a series that has samples inside it.
 *
 * <p>A querier is used by one thread at a time and must be closed; what it returned stays valid
 * after close (strings are immutable), but series sets and iterators from it do not.
 */
public interface LabelQuerier extends AutoCloseable {

  /**
   * The distinct values of label {@code name} among series matching all {@code matchers} (all
   * series when empty), sorted in UTF-8 order, at most {@code hints.limit()} of them.
   */
  List<String> labelValues(String name, LabelHints hints, List<Matcher> matchers);

  /**
   * The distinct label names among series matching all {@code matchers} (all series when empty),
   * sorted in UTF-8 order, at most {@code hints.limit()} of them.
   */
  List<String> labelNames(LabelHints hints, List<Matcher> matchers);

  /** Releases what the querier holds (block readers, mmaps, locks). Idempotent. */
  @Override
  void close();
}
