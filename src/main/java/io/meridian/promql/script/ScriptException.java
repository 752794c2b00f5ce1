package io.meridian.promql.script;

/** A script that cannot be read: the message starts with {@code file:line: }. */
public final class ScriptException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final String file;
  private final int line;

  public ScriptException(String file, int line, String detail) {
    super(file + ":" + line + ": " + detail);
    this.file = file;
    this.line = line;
  }

  public String file() {
    return file;
  }

  /** The offending line, from 1. */
  public int line() {
    return line;
  }
}
