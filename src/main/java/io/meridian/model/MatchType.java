package io.meridian.model;

/** The four label matcher operators of PromQL selectors. */
public enum MatchType {
  EQUAL("="),
  NOT_EQUAL("!="),
  REGEX("=~"),
  NOT_REGEX("!~");

  private final String operator;

  MatchType(String operator) {
    this.operator = operator;
  }

  /** The operator as written in PromQL. */
  public String operator() {
    return operator;
  }

  /** Whether this operator is a negation ({@code !=}, {@code !~}). */
  public boolean negated() {
    return this == NOT_EQUAL || this == NOT_REGEX;
  }
}
