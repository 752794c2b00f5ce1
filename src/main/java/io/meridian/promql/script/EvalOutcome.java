package io.meridian.promql.script;

/**
 * What became of one {@code eval}.
 *
 * @param message why it failed or was skipped; empty when it passed
 */
public record EvalOutcome(Command.Eval eval, Status status, String message) {

  /** Passed, failed or skipped. */
  public enum Status {
    PASSED,
    FAILED,
    SKIPPED
  }

  static EvalOutcome passed(Command.Eval eval) {
    return new EvalOutcome(eval, Status.PASSED, "");
  }

  static EvalOutcome failed(Command.Eval eval, String message) {
    return new EvalOutcome(eval, Status.FAILED, message);
  }

  static EvalOutcome skipped(Command.Eval eval, String message) {
    return new EvalOutcome(eval, Status.SKIPPED, message);
  }
}
