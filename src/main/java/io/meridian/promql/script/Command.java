package io.meridian.promql.script;

import java.util.List;

/** One command of a script: {@code load}, {@code clear} or {@code eval}. */
public sealed interface Command permits Command.Load, Command.Clear, Command.Eval {

  /** The command's first line in the script, from 1. */
  int line();

  /**
   * {@code load <interval>} (or {@code load_with_nhcb}): the series, each point {@code interval}
   * after the previous, from time 0. A series written twice keeps its last line, as in Prometheus.
   *
   * @param withNhcb whether classic histogram series are also loaded as native histograms with
   *     custom buckets
   */
  record Load(int line, long intervalMillis, boolean withNhcb, List<SeriesLine> series)
      implements Command {
    public Load {
      series = List.copyOf(series);
    }
  }

  /** {@code clear}: drops all loaded data. */
  record Clear(int line) implements Command {}

  /**
   * {@code eval instant at <t> <query>} or {@code eval range from <a> to <b> step <s> <query>} and
   * what it expects.
   *
   * <p>For an instant query {@code start == end} is the evaluation time and {@code step} is 0,
   * unless an {@code expect range vector from a to b step s} line gives them: then the query runs
   * at {@code b} and the expected points of the resulting range vector are at {@code a}, {@code
   * a+s}, ..., {@code b}.
   *
   * @param range whether this is a range query
   * @param rangeVector whether the eval has an {@code expect range vector ...} line
   * @param expects what the {@code expect ...} lines ask (and the deprecated forms, translated)
   * @param scalar the expected scalar, or null
   * @param series the expected series (empty when a scalar or string is expected)
   * @param string the expected string ({@code expect string "..."}), or null
   */
  record Eval(
      int line,
      String query,
      boolean range,
      long start,
      long end,
      long step,
      boolean rangeVector,
      List<Expect> expects,
      Double scalar,
      List<SeriesLine> series,
      String string)
      implements Command {
    public Eval {
      expects = List.copyOf(expects);
      series = List.copyOf(series);
    }

    /** When an instant query is evaluated. */
    public long time() {
      return end;
    }

    /** The expectations of one type. */
    public List<Expect> expects(Expect.Type type) {
      return expects.stream().filter(e -> e.type() == type).toList();
    }

    public boolean expectsFailure() {
      return !expects(Expect.Type.FAIL).isEmpty();
    }

    public boolean ordered() {
      return !expects(Expect.Type.ORDERED).isEmpty();
    }

    /** Whether any expected point is a native histogram. */
    public boolean expectsHistograms() {
      return series.stream().anyMatch(SeriesLine::hasHistograms);
    }

    /**
     * Whether Prometheus's runner also checks this instant query in range mode: not when the result
     * is a range vector or a string.
     */
    public boolean checkedInRangeMode() {
      return !range && !rangeVector && string == null;
    }
  }
}
