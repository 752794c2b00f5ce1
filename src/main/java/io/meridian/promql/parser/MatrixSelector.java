package io.meridian.promql.parser;

/**
 * A range vector selector: {@code selector[range]}. Offset and {@code @} written after the range
 * belong to the inner selector, as in Prometheus.
 */
public record MatrixSelector(VectorSelector selector, long rangeMillis, int pos) implements Expr {
  @Override
  public ValueType type() {
    return ValueType.MATRIX;
  }

  @Override
  public String toString() {
    return Printer.print(this);
  }
}
