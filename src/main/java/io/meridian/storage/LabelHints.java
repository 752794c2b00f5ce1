package io.meridian.storage;

import io.meridian.model.Labels;
import io.meridian.util.Utf8Order;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

/**
 * Options for label queries, and the ways every store answers them: distinct, sorted in UTF-8
 * order, cut to the limit.
 *
 * @param limit the most names or values to return, 0 for all
 */
public record LabelHints(int limit) {
  /** No limit. */
  public static final LabelHints NONE = new LabelHints(0);

  public LabelHints {
    if (limit < 0) {
      throw new IllegalArgumentException("limit must be >= 0, got " + limit);
    }
  }

  /** {@code sorted} cut to the limit. */
  public List<String> cut(List<String> sorted) {
    return limit > 0 && sorted.size() > limit ? new ArrayList<>(sorted.subList(0, limit)) : sorted;
  }

  /** The distinct label names of {@code series}, sorted and cut. */
  public List<String> names(Iterable<Labels> series) {
    TreeSet<String> out = new TreeSet<>(Utf8Order.COMPARATOR);
    for (Labels l : series) {
      l.forEach((n, v) -> out.add(n));
    }
    return cut(new ArrayList<>(out));
  }

  /** The distinct values of label {@code name} in {@code series}, sorted and cut. */
  public List<String> values(Iterable<Labels> series, String name) {
    TreeSet<String> out = new TreeSet<>(Utf8Order.COMPARATOR);
    for (Labels l : series) {
      String v = l.get(name);
      if (v != null) {
        out.add(v);
      }
    }
    return cut(new ArrayList<>(out));
  }

  /** The union of several sorted answers, sorted and cut. */
  public List<String> union(Collection<List<String>> answers) {
    TreeSet<String> out = new TreeSet<>(Utf8Order.COMPARATOR);
    answers.forEach(out::addAll);
    return cut(new ArrayList<>(out));
  }
}
