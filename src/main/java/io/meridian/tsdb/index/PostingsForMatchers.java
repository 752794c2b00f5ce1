package io.meridian.tsdb.index;

import io.meridian.model.Matcher;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns label matchers into postings. A matcher that does not match the empty string selects the
 * union of the postings of the values it matches, and those unions are intersected. A matcher that
 * matches the empty string also selects series without the label, so it is applied by subtracting
 * the series whose value it rejects; with only such matchers the subtraction starts from all
 * series. This is Prometheus's rule ({@code {foo=""}} selects series lacking {@code foo}).
 */
public final class PostingsForMatchers {
  private PostingsForMatchers() {}

  public static Postings select(PostingsSource index, List<Matcher> matchers) {
    List<Postings> intersect = new ArrayList<>();
    List<Postings> subtract = new ArrayList<>();
    for (Matcher m : matchers) {
      if (m.matchesEmpty()) {
        Postings rejected = union(index, m, false);
        if (rejected != null) {
          subtract.add(rejected);
        }
      } else {
        Postings accepted = union(index, m, true);
        if (accepted == null) {
          return Postings.empty();
        }
        intersect.add(accepted);
      }
    }
    if (intersect.isEmpty()) {
      intersect.add(index.allPostings());
    }
    Postings p = Postings.intersect(intersect);
    for (Postings s : subtract) {
      p = Postings.without(p, s);
    }
    return p;
  }

  /** Union of the postings of values of m's label that m accepts (or rejects); null if none. */
  private static Postings union(PostingsSource index, Matcher m, boolean accepted) {
    List<Postings> lists = new ArrayList<>();
    if (accepted && m.type() == io.meridian.model.MatchType.EQUAL) {
      lists.add(index.postings(m.name(), m.value()));
    } else {
      for (String v : index.labelValues(m.name())) {
        if (m.matches(v) == accepted) {
          lists.add(index.postings(m.name(), v));
        }
      }
    }
    return lists.isEmpty() ? null : Postings.merge(lists);
  }
}
