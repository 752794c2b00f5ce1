package io.meridian.promql.parser;

import java.util.List;

/**
 * How a binary operation between two vectors matches series: {@code on(labels)} or {@code
 * ignoring(labels)}, and for many-to-one / one-to-many {@code group_left(include)} / {@code
 * group_right(include)}.
 *
 * @param on true for {@code on(...)}, false for {@code ignoring(...)} or no clause
 */
public record VectorMatching(
    Cardinality card, List<String> labels, boolean on, List<String> include) {
  /** Which side may have many series per match group. */
  public enum Cardinality {
    ONE_TO_ONE,
    MANY_TO_ONE,
    ONE_TO_MANY,
    MANY_TO_MANY
  }

  public VectorMatching {
    labels = List.copyOf(labels);
    include = List.copyOf(include);
  }
}
