package io.meridian.promql.parser;

import io.meridian.util.GoFormat;
import java.nio.charset.StandardCharsets;

/**
 * A token: its type, its text as written, its offset in the query and, for strings, the unquoted
 * value.
 */
record Token(TokenType type, String text, int pos, String value) {
  Token(TokenType type, String text, int pos) {
    this(type, text, pos, text);
  }

  /**
   * Prometheus's description in "unexpected ..." messages: {@code identifier "foo"}, {@code ")"}.
   */
  String describe() {
    return switch (type.kind()) {
      case END -> "end of input";
      case OPERATOR -> "<op:" + text + ">";
      case AGGREGATOR -> "<aggr:" + text + ">";
      case KEYWORD -> "<" + text + ">";
      case PUNCTUATION -> GoFormat.quote(text);
      case VALUE ->
          switch (type) {
            case IDENTIFIER -> "identifier " + GoFormat.quote(text);
            case METRIC_IDENTIFIER -> "metric identifier " + GoFormat.quote(text);
            case NUMBER -> "number " + shortQuote(text);
            case DURATION -> "duration " + shortQuote(text);
            default -> "string " + shortQuote(text);
          };
    };
  }

  /** Go's {@code %.10q...} for values longer than ten bytes, else {@code %q}. */
  private static String shortQuote(String s) {
    if (s.getBytes(StandardCharsets.UTF_8).length <= 10) {
      return GoFormat.quote(s);
    }
    int end = s.offsetByCodePoints(0, Math.min(10, s.codePointCount(0, s.length())));
    return GoFormat.quote(s.substring(0, end)) + "...";
  }
}
