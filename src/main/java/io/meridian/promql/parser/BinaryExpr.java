package io.meridian.promql.parser;

/**
 * {@code lhs op rhs}.
 *
 * @param matching the vector matching when both sides are vectors, else null
 * @param returnBool the {@code bool} modifier of comparisons
 */
public record BinaryExpr(
    BinaryOp op, Expr lhs, Expr rhs, VectorMatching matching, boolean returnBool, int pos)
    implements Expr {
  @Override
  public ValueType type() {
    return lhs.type() == ValueType.SCALAR && rhs.type() == ValueType.SCALAR
        ? ValueType.SCALAR
        : ValueType.VECTOR;
  }

  @Override
  public String toString() {
    return Printer.print(this);
  }
}
