package io.meridian.promql;

import java.util.List;

/** What the evaluator passes between nodes: a value per step for scalars, rows for vectors. */
sealed interface Val {
  /** A scalar at every step. */
  final class Num implements Val {
    private final double[] v;

    Num(double[] v) {
      this.v = v;
    }

    double[] v() {
      return v;
    }
  }

  /** An instant vector over the steps. */
  record Vec(List<Row> rows) implements Val {}

  /** A string (the same at every step). */
  record Str(String s) implements Val {}
}
