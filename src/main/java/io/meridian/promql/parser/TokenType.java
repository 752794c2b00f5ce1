package io.meridian.promql.parser;

/**
 * Kinds of PromQL tokens. {@link Kind} groups them the way Prometheus's error messages describe
 * them ({@code <op:+>}, {@code <aggr:sum>}, {@code <by>}, {@code identifier "foo"}).
 */
enum TokenType {
  EOF(Kind.END),
  IDENTIFIER(Kind.VALUE),
  METRIC_IDENTIFIER(Kind.VALUE),
  NUMBER(Kind.VALUE),
  DURATION(Kind.VALUE),
  STRING(Kind.VALUE),
  LEFT_PAREN(Kind.PUNCTUATION),
  RIGHT_PAREN(Kind.PUNCTUATION),
  LEFT_BRACE(Kind.PUNCTUATION),
  RIGHT_BRACE(Kind.PUNCTUATION),
  LEFT_BRACKET(Kind.PUNCTUATION),
  RIGHT_BRACKET(Kind.PUNCTUATION),
  COMMA(Kind.PUNCTUATION),
  EQL(Kind.PUNCTUATION),
  COLON(Kind.PUNCTUATION),
  ADD(Kind.OPERATOR),
  SUB(Kind.OPERATOR),
  MUL(Kind.OPERATOR),
  DIV(Kind.OPERATOR),
  MOD(Kind.OPERATOR),
  POW(Kind.OPERATOR),
  EQLC(Kind.OPERATOR),
  NEQ(Kind.OPERATOR),
  LTE(Kind.OPERATOR),
  LSS(Kind.OPERATOR),
  GTE(Kind.OPERATOR),
  GTR(Kind.OPERATOR),
  EQL_REGEX(Kind.OPERATOR),
  NEQ_REGEX(Kind.OPERATOR),
  AT(Kind.OPERATOR),
  LAND(Kind.OPERATOR),
  LOR(Kind.OPERATOR),
  LUNLESS(Kind.OPERATOR),
  ATAN2(Kind.OPERATOR),
  AGGREGATOR(Kind.AGGREGATOR),
  BOOL(Kind.KEYWORD),
  BY(Kind.KEYWORD),
  GROUP_LEFT(Kind.KEYWORD),
  GROUP_RIGHT(Kind.KEYWORD),
  IGNORING(Kind.KEYWORD),
  OFFSET(Kind.KEYWORD),
  ON(Kind.KEYWORD),
  WITHOUT(Kind.KEYWORD),
  START(Kind.PUNCTUATION),
  END(Kind.PUNCTUATION);

  /** How a token of this type is described in an error message. */
  enum Kind {
    END,
    VALUE,
    PUNCTUATION,
    OPERATOR,
    AGGREGATOR,
    KEYWORD
  }

  private final Kind kind;

  TokenType(Kind kind) {
    this.kind = kind;
  }

  Kind kind() {
    return kind;
  }

  /** The type of a word outside braces, case-insensitively; null for a plain identifier. */
  static TokenType keyword(String lowerCaseWord) {
    return switch (lowerCaseWord) {
      case "and" -> LAND;
      case "or" -> LOR;
      case "unless" -> LUNLESS;
      case "atan2" -> ATAN2;
      case "offset" -> OFFSET;
      case "by" -> BY;
      case "without" -> WITHOUT;
      case "on" -> ON;
      case "ignoring" -> IGNORING;
      case "group_left" -> GROUP_LEFT;
      case "group_right" -> GROUP_RIGHT;
      case "bool" -> BOOL;
      case "start" -> START;
      case "end" -> END;
      case "inf", "nan" -> NUMBER;
      default -> AggregateOp.byName(lowerCaseWord) != null ? AGGREGATOR : null;
    };
  }
}
