package io.meridian.promql.script;

import java.util.List;

/**
 * The outcome of running one script.
 *
 * @param outcomes one per {@code eval}, in script order
 * @param loadErrors samples a {@code load} could not store ({@code name:line: ...}); each makes the
 *     script fail, though every eval still ran
 */
public record FileResult(String name, List<EvalOutcome> outcomes, List<String> loadErrors) {
  public FileResult {
    outcomes = List.copyOf(outcomes);
    loadErrors = List.copyOf(loadErrors);
  }

  public long passed() {
    return count(EvalOutcome.Status.PASSED);
  }

  public long failed() {
    return count(EvalOutcome.Status.FAILED);
  }

  public long skipped() {
    return count(EvalOutcome.Status.SKIPPED);
  }

  /** No eval failed and every load stored all its samples. */
  public boolean ok() {
    return failed() == 0 && loadErrors.isEmpty();
  }

  /** {@code N passed, N failed, N skipped}. */
  public String summary() {
    return passed() + " passed, " + failed() + " failed, " + skipped() + " skipped";
  }

  private long count(EvalOutcome.Status s) {
    return outcomes.stream().filter(o -> o.status() == s).count();
  }
}
