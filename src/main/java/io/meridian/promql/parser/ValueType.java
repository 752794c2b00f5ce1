package io.meridian.promql.parser;

/** The four types a PromQL expression evaluates to, named as Prometheus's errors name them. */
public enum ValueType {
  SCALAR("scalar"),
  VECTOR("instant vector"),
  MATRIX("range vector"),
  STRING("string");

  private final String promName;

  ValueType(String promName) {
    this.promName = promName;
  }

  /** The name Prometheus's messages use ("instant vector", ...). */
  public String promName() {
    return promName;
  }
}
