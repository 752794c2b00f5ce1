package io.meridian.promql.parser;

/** An expression in parentheses, kept so it prints back as written. */
public record ParenExpr(Expr expr, int pos) implements Expr {
  @Override
  public ValueType type() {
    return expr.type();
  }

  @Override
  public String toString() {
    return Printer.print(this);
  }
}
