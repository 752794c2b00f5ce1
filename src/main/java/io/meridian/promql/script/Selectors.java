package io.meridian.promql.script;

import io.meridian.model.Labels;
import io.meridian.model.Matcher;
import io.meridian.promql.parser.AggregateExpr;
import io.meridian.promql.parser.BinaryExpr;
import io.meridian.promql.parser.Call;
import io.meridian.promql.parser.Expr;
import io.meridian.promql.parser.MatrixSelector;
import io.meridian.promql.parser.NumberLiteral;
import io.meridian.promql.parser.ParenExpr;
import io.meridian.promql.parser.SeriesSelector;
import io.meridian.promql.parser.StringLiteral;
import io.meridian.promql.parser.SubqueryExpr;
import io.meridian.promql.parser.UnaryExpr;
import io.meridian.promql.parser.VectorSelector;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The series selectors of a query, each as its list of matchers: from the parsed expression, or,
 * for a query that does not parse, found in the text by a conservative scan that may find more
 * selectors than there are (every bare identifier is taken for a metric name) but never fewer.
 */
final class Selectors {
  /** Words of PromQL that are not metric names where the scan meets them. */
  private static final Set<String> KEYWORDS =
      Set.of(
          "and",
          "or",
          "unless",
          "by",
          "without",
          "on",
          "ignoring",
          "group_left",
          "group_right",
          "bool",
          "offset",
          "sum",
          "avg",
          "count",
          "min",
          "max",
          "group",
          "stddev",
          "stdvar",
          "topk",
          "bottomk",
          "count_values",
          "quantile",
          "limitk",
          "limit_ratio",
          "atan2",
          "inf",
          "nan",
          "start",
          "end",
          "smoothed",
          "anchored",
          "fill",
          "fill_left",
          "fill_right");

  private Selectors() {}

  /** The selectors of {@code e}. */
  static List<List<Matcher>> of(Expr e) {
    List<List<Matcher>> out = new ArrayList<>();
    collect(e, out);
    return out;
  }

  private static void collect(Expr e, List<List<Matcher>> out) {
    switch (e) {
      case NumberLiteral n -> {}
      case StringLiteral s -> {}
      case VectorSelector v -> out.add(v.matchers());
      case MatrixSelector m -> out.add(m.selector().matchers());
      case SubqueryExpr s -> collect(s.expr(), out);
      case ParenExpr p -> collect(p.expr(), out);
      case UnaryExpr u -> collect(u.expr(), out);
      case BinaryExpr b -> {
        collect(b.lhs(), out);
        collect(b.rhs(), out);
      }
      case AggregateExpr a -> {
        collect(a.expr(), out);
        if (a.param() != null) {
          collect(a.param(), out);
        }
      }
      case Call c -> c.args().forEach(arg -> collect(arg, out));
    }
  }

  /** Whether any selector selects a series with {@code labels}. */
  static boolean anySelects(List<List<Matcher>> selectors, Labels labels) {
    for (List<Matcher> sel : selectors) {
      if (sel.stream().allMatch(m -> m.matches(labels))) {
        return true;
      }
    }
    return false;
  }

  /**
   * Selectors found in the text of a query that does not parse: {@code name}, {@code name{...}},
   * {@code {...}}. Words followed by {@code (} are functions, PromQL's keywords are no names; text
   * in quotes outside braces and in square brackets is skipped. Braces that do not read as a
   * selector select nothing, as the query cannot parse.
   */
  static List<List<Matcher>> scan(String q) {
    List<List<Matcher>> out = new ArrayList<>();
    int p = 0;
    while (p < q.length()) {
      char c = q.charAt(p);
      if (c == '"' || c == '\'' || c == '`') {
        p = skipQuoted(q, p);
      } else if (c == '[') {
        int end = q.indexOf(']', p);
        p = end < 0 ? q.length() : end + 1;
      } else if (c == '{') {
        int end = braceEnd(q, p);
        addIfValid(out, q.substring(p, end));
        p = end;
      } else if (isNameStart(c) && (p == 0 || !isNameChar(q.charAt(p - 1)))) {
        int end = p;
        while (end < q.length() && isNameChar(q.charAt(end))) {
          end++;
        }
        String name = q.substring(p, end);
        int next = end;
        while (next < q.length() && Character.isWhitespace(q.charAt(next))) {
          next++;
        }
        if (end < q.length() && q.charAt(end) == '{') {
          int close = braceEnd(q, end);
          addIfValid(out, q.substring(p, close));
          p = close;
          continue;
        }
        boolean keyword = KEYWORDS.contains(name.toLowerCase(java.util.Locale.ROOT));
        if (!keyword && (next >= q.length() || q.charAt(next) != '(')) {
          out.add(List.of(Matcher.equal(Labels.METRIC_NAME, name)));
        }
        p = end;
      } else {
        p++;
      }
    }
    return out;
  }

  /** A selector that does not read makes the query fail to parse: it selects nothing. */
  private static void addIfValid(List<List<Matcher>> out, String selector) {
    try {
      out.add(SeriesSelector.parse(selector));
    } catch (IllegalArgumentException e) {
      // not a selector
    }
  }

  private static int braceEnd(String q, int open) {
    int p = open + 1;
    while (p < q.length() && q.charAt(p) != '}') {
      char c = q.charAt(p);
      p = c == '"' || c == '\'' || c == '`' ? skipQuoted(q, p) : p + 1;
    }
    return Math.min(p + 1, q.length());
  }

  private static int skipQuoted(String q, int open) {
    char quote = q.charAt(open);
    int p = open + 1;
    while (p < q.length() && q.charAt(p) != quote) {
      p += q.charAt(p) == '\\' && quote != '`' ? 2 : 1;
    }
    return Math.min(p + 1, q.length());
  }

  private static boolean isNameStart(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':';
  }

  private static boolean isNameChar(char c) {
    return isNameStart(c) || (c >= '0' && c <= '9');
  }
}
