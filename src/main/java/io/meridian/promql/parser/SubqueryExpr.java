package io.meridian.promql.parser;

/**
 * A subquery: {@code expr[range:step] offset d @ t}.
 *
 * @param stepMillis the resolution; 0 when omitted ({@code [5m:]}), meaning the engine's default
 * @param at the {@code @} modifier, or null
 */
public record SubqueryExpr(
    Expr expr, long rangeMillis, long stepMillis, long offsetMillis, At at, int pos)
    implements Expr {
  @Override
  public ValueType type() {
    return ValueType.MATRIX;
  }

  @Override
  public String toString() {
    return Printer.print(this);
  }
}
