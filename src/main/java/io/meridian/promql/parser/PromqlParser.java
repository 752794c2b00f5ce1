package io.meridian.promql.parser;

/** Parses PromQL into an {@link Expr} tree. */
public final class PromqlParser {
  private PromqlParser() {}

  /** Parses {@code query}, experimental functions and aggregations allowed. */
  public static Expr parse(String query) {
    return parse(query, true);
  }

  /**
   * Parses {@code query}: syntax as Prometheus 3 accepts it for float data, then Prometheus's type
   * checks. Any input gives a tree or this exception, never another one.
   *
   * @param experimental whether functions and aggregations Prometheus keeps behind a feature flag
   *     are accepted
   * @throws ParseException with Prometheus's message and the position
   */
  public static Expr parse(String query, boolean experimental) {
    try {
      Parser parser = new Parser(query, experimental);
      Expr e = parser.parse();
      new Checker(query, parser.binaries()).check(e);
      return e;
    } catch (ParseException e) {
      throw e;
    } catch (RuntimeException e) {
      // A bug, not bad input; still reported the way callers handle bad queries.
      throw new ParseException(query, 0, "internal parser error: " + e);
    }
  }
}
