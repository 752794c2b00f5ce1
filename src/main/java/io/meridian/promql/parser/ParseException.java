package io.meridian.promql.parser;

/**
 * A query that does not parse. The message is Prometheus's: {@code 1:14: parse error: unexpected
 * character inside braces: '%'}, the position as line:column of {@link #pos()} in the query.
 */
public final class ParseException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int pos;
  private final String detail;

  public ParseException(String query, int pos, String detail) {
    super(Positions.lineColumn(query, pos) + ": parse error: " + detail);
    this.pos = pos;
    this.detail = detail;
  }

  /** Offset in the query where the error was found. */
  public int pos() {
    return pos;
  }

  /** The message without the position. */
  public String detail() {
    return detail;
  }
}
