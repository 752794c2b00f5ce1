package io.meridian.promql.parser;

/** A string literal, unescaped. */
public record StringLiteral(String value, int pos) implements Expr {
  @Override
  public ValueType type() {
    return ValueType.STRING;
  }

  @Override
  public String toString() {
    return Printer.print(this);
  }
}
