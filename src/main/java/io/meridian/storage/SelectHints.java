package io.meridian.storage;

/**
 * What the caller of a select will do with the series, so a store can read less. A store may ignore
 * any hint except {@code limit}; the querier's own range always bounds the samples.
 *
 * @param start earliest timestamp the caller needs, ms
 * @param end latest timestamp the caller needs, ms
 * @param step evaluation step of a range query in ms, 0 for an instant query or none
 * @param func the PromQL function around the selector ("rate", "series" for metadata-only calls),
 *     or "" when unknown
 * @param limit the most series to return, 0 for all
 */
public record SelectHints(long start, long end, long step, String func, int limit) {

  public SelectHints {
    if (start > end) {
      throw new IllegalArgumentException("start " + start + " after end " + end);
    }
    if (step < 0 || limit < 0) {
      throw new IllegalArgumentException("step and limit must be >= 0");
    }
    if (func == null) {
      throw new IllegalArgumentException("func must not be null; use \"\"");
    }
  }

  /** Hints that say only the range. */
  public static SelectHints range(long start, long end) {
    return new SelectHints(start, end, 0, "", 0);
  }
}
