package io.meridian.promql.parser;

/**
 * A number: {@code 1}, {@code 1.5e3}, {@code 0x1f}, {@code Inf}, {@code NaN}, or a duration as
 * seconds.
 */
public record NumberLiteral(double value, int pos) implements Expr {
  @Override
  public ValueType type() {
    return ValueType.SCALAR;
  }

  @Override
  public String toString() {
    return Printer.print(this);
  }
}
