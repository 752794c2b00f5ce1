package io.meridian.promql.script;

import io.meridian.model.Labels;
import io.meridian.model.MatchType;
import io.meridian.model.Matcher;
import io.meridian.model.StaleNaN;
import io.meridian.promql.parser.SeriesSelector;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * Reads a series description, {@code metric{a="b"} 1+2x3 _ stale {{schema:0 sum:1}}}: the series'
 * labels, then points in the expanding notation of promtool's unit tests.
 *
 * <ul>
 *   <li>{@code a} one point; {@code axn} n+1 points of a; {@code a+bxn} / {@code a-bxn} n+1 points
 *       from a, adding b (or -b) each time, accumulated as Prometheus does;
 *   <li>{@code _} no point; {@code _xn} n positions without a point;
 *   <li>{@code stale} the staleness marker; numbers as Go reads them, {@code Inf}, {@code -Inf},
 *       {@code NaN};
 *   <li>{@code {{...}}}, {@code {{...}}xn}, {@code {{...}}+{{...}}xn}: native histograms, kept as
 *       text, one position each (n+1 for the repeated forms).
 * </ul>
 */
final class SeriesDescription {
  private final String in;
  private int pos;

  private SeriesDescription(String in) {
    this.in = in;
  }

  /**
   * Reads {@code text}.
   *
   * @throws IllegalArgumentException naming what is wrong and the column
   */
  static SeriesLine parse(String text, int line) {
    SeriesDescription d = new SeriesDescription(text);
    Labels labels = d.metric();
    List<SequenceValue> values = d.values();
    return new SeriesLine(labels, values, line);
  }

  private Labels metric() {
    while (pos < in.length() && isNameChar(in.charAt(pos))) {
      pos++;
    }
    if (in.startsWith("{", pos) && !in.startsWith("{{", pos)) {
      skipBraces();
    }
    String metric = in.substring(0, pos);
    if (metric.isEmpty()) {
      throw error(0, "expected a metric name or \"{\" at the start of a series");
    }
    if (metric.equals("{}")) {
      return Labels.EMPTY;
    }
    List<Matcher> matchers;
    try {
      matchers = SeriesSelector.parse(metric);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("invalid series " + metric + ": " + e.getMessage(), e);
    }
    Labels.Builder b = Labels.builder();
    Set<String> seen = new HashSet<>();
    for (Matcher m : matchers) {
      if (m.type() != MatchType.EQUAL) {
        throw error(0, "label " + m.name() + " must be set with \"=\" in a series description");
      }
      if (!seen.add(m.name())) {
        throw error(0, "label " + m.name() + " is set twice");
      }
      b.set(m.name(), m.value());
    }
    return b.build();
  }

  private void skipBraces() {
    pos++; // '{'
    while (pos < in.length() && in.charAt(pos) != '}') {
      char c = in.charAt(pos);
      if (c == '"' || c == '\'' || c == '`') {
        pos++;
        while (pos < in.length() && in.charAt(pos) != c) {
          if (in.charAt(pos) == '\\' && c != '`') {
            pos++;
          }
          pos++;
        }
      }
      pos++;
    }
    if (pos >= in.length()) {
      throw error(pos, "unterminated label set");
    }
    pos++; // '}'
  }

  private List<SequenceValue> values() {
    List<SequenceValue> out = new ArrayList<>();
    if (pos < in.length() && !Character.isWhitespace(in.charAt(pos))) {
      throw error(pos, "expected a space after the series, found \"" + in.charAt(pos) + "\"");
    }
    while (true) {
      skipSpace();
      if (pos >= in.length()) {
        return out;
      }
      int start = pos;
      item(out);
      if (pos < in.length() && !Character.isWhitespace(in.charAt(pos))) {
        throw error(start, "invalid series value \"" + token(start) + "\"");
      }
    }
  }

  private void item(List<SequenceValue> out) {
    int start = pos;
    char c = in.charAt(pos);
    if (c == '_') {
      pos++;
      long n = in.startsWith("x", pos) ? times(start) : 1;
      for (long i = 0; i < n; i++) {
        out.add(SequenceValue.missing());
      }
      return;
    }
    if (in.startsWith("{{", pos)) {
      String h = histogram();
      if (pos < in.length() && (in.charAt(pos) == '+' || in.charAt(pos) == '-')) {
        pos++;
        if (!in.startsWith("{{", pos)) {
          throw error(start, "expected a histogram increment in \"" + token(start) + "\"");
        }
        histogram();
        if (!in.startsWith("x", pos)) {
          throw error(
              start, "expected \"x<count>\" after the increment in \"" + token(start) + "\"");
        }
      }
      long n = in.startsWith("x", pos) ? times(start) + 1 : 1;
      for (long i = 0; i < n; i++) {
        out.add(SequenceValue.histogram(h)); // the increments are not applied: never compared
      }
      return;
    }
    double v = value(start);
    if (pos < in.length() && (in.charAt(pos) == '+' || in.charAt(pos) == '-')) {
      boolean negative = in.charAt(pos) == '-';
      pos++;
      double delta = number(start, false);
      if (negative) {
        delta = -delta;
      }
      if (!in.startsWith("x", pos)) {
        throw error(start, "expected \"x<count>\" after the increment in \"" + token(start) + "\"");
      }
      long n = times(start);
      for (long i = 0; i <= n; i++) {
        out.add(SequenceValue.of(v));
        v += delta;
      }
      return;
    }
    long n = in.startsWith("x", pos) ? times(start) : 0;
    for (long i = 0; i <= n; i++) {
      out.add(SequenceValue.of(v));
    }
  }

  private double value(int start) {
    if (in.regionMatches(true, pos, "stale", 0, 5)
        && (pos + 5 == in.length() || !Character.isLetterOrDigit(in.charAt(pos + 5)))) {
      pos += 5;
      return StaleNaN.VALUE;
    }
    return number(start, true);
  }

  /** A number: digits with an optional fraction and exponent, or Inf / NaN; signed if allowed. */
  private double number(int start, boolean signed) {
    int from = pos;
    if (signed && pos < in.length() && (in.charAt(pos) == '+' || in.charAt(pos) == '-')) {
      pos++;
    }
    String word = word();
    if (!word.isEmpty()) {
      String w = word.toLowerCase(Locale.ROOT);
      if (w.equals("inf") || w.equals("nan") || w.equals("infinity")) {
        return GoNumbers.parseFloat(in.substring(from, pos)).orElseThrow();
      }
      throw error(
          start, "invalid series value \"" + token(start) + "\", expected a number or \"stale\"");
    }
    while (pos < in.length() && isDigit(in.charAt(pos))) {
      pos++;
    }
    if (pos < in.length() && in.charAt(pos) == '.') {
      pos++;
      while (pos < in.length() && isDigit(in.charAt(pos))) {
        pos++;
      }
    }
    if (pos < in.length() && (in.charAt(pos) == 'e' || in.charAt(pos) == 'E')) {
      int e = pos + 1;
      if (e < in.length() && (in.charAt(e) == '+' || in.charAt(e) == '-')) {
        e++;
      }
      if (e < in.length() && isDigit(in.charAt(e))) {
        pos = e;
        while (pos < in.length() && isDigit(in.charAt(pos))) {
          pos++;
        }
      }
    }
    OptionalDouble v = GoNumbers.parseFloat(in.substring(from, pos));
    if (v.isEmpty()) {
      throw error(
          start, "invalid series value \"" + token(start) + "\", expected a number or \"stale\"");
    }
    return v.getAsDouble();
  }

  /** Letters at pos (for Inf, NaN), consumed only when they form such a word. */
  private String word() {
    int end = pos;
    while (end < in.length() && Character.isLetter(in.charAt(end)) && in.charAt(end) != 'x') {
      end++;
    }
    String w = in.substring(pos, end);
    if (!w.isEmpty()) {
      pos = end;
    }
    return w;
  }

  private long times(int start) {
    pos++; // 'x'
    int from = pos;
    while (pos < in.length() && isDigit(in.charAt(pos))) {
      pos++;
    }
    if (from == pos) {
      throw error(start, "invalid repetition in series values \"" + token(start) + "\"");
    }
    try {
      return Long.parseLong(in.substring(from, pos));
    } catch (NumberFormatException e) {
      throw error(start, "invalid repetition in series values \"" + token(start) + "\"");
    }
  }

  private String histogram() {
    int end = in.indexOf("}}", pos);
    if (end < 0) {
      throw error(pos, "unterminated histogram \"{{\"");
    }
    String h = in.substring(pos + 2, end);
    pos = end + 2;
    return h;
  }

  private String token(int start) {
    int end = start;
    if (in.startsWith("{{", start)) {
      end = Math.max(end, in.indexOf("}}", start) + 2);
    }
    while (end < in.length() && !Character.isWhitespace(in.charAt(end))) {
      end++;
    }
    return in.substring(start, end);
  }

  private void skipSpace() {
    while (pos < in.length() && Character.isWhitespace(in.charAt(pos))) {
      pos++;
    }
  }

  private static boolean isNameChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':' || isDigit(c);
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private IllegalArgumentException error(int column, String msg) {
    return new IllegalArgumentException("column " + (column + 1) + ": " + msg);
  }
}
