package io.meridian.promql.parser;

/**
 * The {@code @} modifier: a fixed time in milliseconds, or the query's {@code start()} / {@code
 * end()}.
 */
public record At(Kind kind, long millis) {
  /** Where the time comes from. */
  public enum Kind {
    TIME,
    START,
    END
  }

  public static At time(long millis) {
    return new At(Kind.TIME, millis);
  }

  public static final At START = new At(Kind.START, 0);
  public static final At END = new At(Kind.END, 0);
}
