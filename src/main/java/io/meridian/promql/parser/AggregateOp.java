package io.meridian.promql.parser;

import java.util.Locale;

/** Aggregation operators; those with a parameter say its type. */
public enum AggregateOp {
  SUM(null),
  AVG(null),
  MIN(null),
  MAX(null),
  COUNT(null),
  GROUP(null),
  STDDEV(null),
  STDVAR(null),
  TOPK(ValueType.SCALAR),
  BOTTOMK(ValueType.SCALAR),
  QUANTILE(ValueType.SCALAR),
  COUNT_VALUES(ValueType.STRING),
  LIMITK(ValueType.SCALAR),
  LIMIT_RATIO(ValueType.SCALAR);

  private final ValueType paramType;

  AggregateOp(ValueType paramType) {
    this.paramType = paramType;
  }

  /** The parameter's type, or null when the operator takes none. */
  public ValueType paramType() {
    return paramType;
  }

  /** The name as written in PromQL. */
  public String promName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The operator named {@code name}, or null. */
  public static AggregateOp byName(String name) {
    for (AggregateOp op : values()) {
      if (op.promName().equals(name)) {
        return op;
      }
    }
    return null;
  }

  /** Whether Prometheus puts it behind a feature flag ({@code limitk}, {@code limit_ratio}). */
  public boolean experimental() {
    return this == LIMITK || this == LIMIT_RATIO;
  }
}
