package io.meridian.promql.parser;

/** Parses PromQL into an {@link Expr} tree. */
public final class PromqlParser {
  private PromqlParser() {}

  /** Parses {@code query}, experimental functions and aggregations allowed. */
  public static Expr parse(String query) {
    return parse(query, true);
  }

  /**
   * Parses {@code query}.
   *
   * @param experimental whether functions and aggregations Prometheus keeps behind a feature flag
   *     are accepted
   * @throws ParseException with Prometheus's message and the position
   */
  @SuppressWarnings("DoNotCallSuggester") // until it is written, this session
  public static Expr parse(String query, boolean experimental) {
    throw new ParseException(query, 0, "the parser is not written yet");
  }
}
