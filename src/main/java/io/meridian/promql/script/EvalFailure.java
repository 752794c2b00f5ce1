package io.meridian.promql.script;

/** An eval's result did not match what the script expects; the message says how. */
final class EvalFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;

  EvalFailure(String message) {
    super(message, null, false, false);
  }
}
