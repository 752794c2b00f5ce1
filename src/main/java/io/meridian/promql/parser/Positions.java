package io.meridian.promql.parser;

/** Turns an offset in a query into Prometheus's {@code line:column} form (both from 1). */
public final class Positions {
  private Positions() {}

  /**
   * {@code line:column} of offset {@code pos} in {@code query}; {@code unknown position} for an
   * empty query, as Prometheus says.
   */
  public static String lineColumn(String query, int pos) {
    if (query.isEmpty()) {
      return "unknown position";
    }
    int line = 1;
    int col = 1;
    for (int i = 0; i < Math.min(pos, query.length()); i++) {
      if (query.charAt(i) == '\n') {
        line++;
        col = 1;
      } else {
        col++;
      }
    }
    return line + ":" + col;
  }
}
