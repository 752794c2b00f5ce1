package io.meridian.promql.parser;

import java.util.List;

/**
 * {@code op by|without (grouping) (param, expr)}.
 *
 * @param param the parameter of topk, bottomk, quantile, count_values, limitk, limit_ratio; else
 *     null
 * @param without true for {@code without}, false for {@code by} or no clause
 */
public record AggregateExpr(
    AggregateOp op, Expr expr, Expr param, List<String> grouping, boolean without, int pos)
    implements Expr {
  public AggregateExpr {
    grouping = List.copyOf(grouping);
  }

  @Override
  public ValueType type() {
    return ValueType.VECTOR;
  }

  @Override
  public String toString() {
    return Printer.print(this);
  }
}
