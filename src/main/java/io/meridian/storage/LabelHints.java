package io.meridian.storage;

/**
 * Options for label queries.
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
}
