package io.meridian.tsdb.index;

import java.util.List;

/** An inverted index: what {@link PostingsForMatchers} needs of a block's index or the head's. */
public interface PostingsSource {

  /** The values of label {@code name}, sorted in UTF-8 order; empty if no series has it. */
  List<String> labelValues(String name);

  /** The ids of the series with {@code name="value"}, ascending; empty if none. */
  Postings postings(String name, String value);

  /** The ids of all series, ascending. */
  Postings allPostings();
}
