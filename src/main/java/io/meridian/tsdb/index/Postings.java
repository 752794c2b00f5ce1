package io.meridian.tsdb.index;

import java.util.List;

/**
 * A cursor over series ids in strictly ascending order: the list of series that have one label
 * pair, or a combination of such lists. Same cursor rules as {@link
 * io.meridian.storage.SampleIterator}: starts before the first id, {@link #seek} never moves back.
 */
public interface Postings {

  /** Moves to the next id; false when there is none. */
  boolean next();

  /** Moves to the first id {@code >= v} (or stays, if the current one is); false when none. */
  boolean seek(long v);

  /** The current id. */
  long at();

  /** No ids. */
  static Postings empty() {
    return new ListPostings(new long[0]);
  }

  /** Ids in all of {@code lists}. */
  static Postings intersect(List<Postings> lists) {
    return switch (lists.size()) {
      case 0 -> empty();
      case 1 -> lists.getFirst();
      default -> new IntersectPostings(lists);
    };
  }

  /** Ids in any of {@code lists}. */
  static Postings merge(List<Postings> lists) {
    return switch (lists.size()) {
      case 0 -> empty();
      case 1 -> lists.getFirst();
      default -> new MergedPostings(lists);
    };
  }

  /** Ids in {@code full} but not in {@code drop}. */
  static Postings without(Postings full, Postings drop) {
    return new WithoutPostings(full, drop);
  }

  /** Drains the ids into an array (tests, small lists). */
  static long[] toArray(Postings p) {
    long[] out = new long[16];
    int n = 0;
    while (p.next()) {
      if (n == out.length) {
        out = java.util.Arrays.copyOf(out, n * 2);
      }
      out[n++] = p.at();
    }
    return java.util.Arrays.copyOf(out, n);
  }
}
