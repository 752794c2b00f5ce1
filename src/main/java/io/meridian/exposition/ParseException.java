package io.meridian.exposition;

/** A body that does not parse; the message names the line and what was expected. */
public final class ParseException extends Exception {
  private static final long serialVersionUID = 1L;
  private final int line;

  public ParseException(int line, String message) {
    super("line " + line + ": " + message);
    this.line = line;
  }

  /** 1-based line of the error. */
  public int line() {
    return line;
  }
}
