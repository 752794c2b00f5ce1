package io.meridian.promql.parser;

/** Unary minus or plus. */
public record UnaryExpr(boolean negate, Expr expr, int pos) implements Expr {
  @Override
  public ValueType type() {
    return expr.type();
  }

  @Override
  public String toString() {
    return Printer.print(this);
  }
}
