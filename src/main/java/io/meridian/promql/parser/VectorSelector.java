package io.meridian.promql.parser;

import io.meridian.model.Matcher;
import java.util.List;

/**
 * An instant vector selector: {@code name{matchers} offset d @ t}. {@code matchers} includes the
 * {@code __name__} matcher when a name was given; {@code name} is that name or null.
 *
 * @param offsetMillis the offset, negative for {@code offset -5m}; 0 when absent
 * @param at the {@code @} modifier, or null
 */
public record VectorSelector(String name, List<Matcher> matchers, long offsetMillis, At at, int pos)
    implements Expr {
  public VectorSelector {
    matchers = List.copyOf(matchers);
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
