package io.meridian.promql.parser;

import io.meridian.model.Labels;
import io.meridian.model.MatchType;
import io.meridian.model.Matcher;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses a series selector, the {@code match[]} form of the HTTP API and promtool: {@code metric},
 * {@code metric{a="b", c=~"d.*"}}, {@code {__name__=~".+"}}, {@code {"utf8.name"}}. Strings take
 * double, single or back quotes with Go's escapes. Errors name the position.
 */
public final class SeriesSelector {
  private final String in;
  private int pos;

  private SeriesSelector(String in) {
    this.in = in;
  }

  /**
   * The matchers of {@code selector}.
   *
   * <p>A selector whose matchers all match the empty string is accepted here; the API and PromQL
   * refuse it where Prometheus does.
   *
   * @throws IllegalArgumentException {@code 1:5: parse error: ...} with the position
   */
  public static List<Matcher> parse(String selector) {
    return new SeriesSelector(selector).selector();
  }

  private List<Matcher> selector() {
    List<Matcher> out = new ArrayList<>();
    skipSpace();
    if (pos < in.length() && isNameStart(in.charAt(pos), true)) {
      out.add(Matcher.equal(Labels.METRIC_NAME, identifier(true)));
      skipSpace();
    }
    if (pos < in.length() && in.charAt(pos) == '{') {
      pos++;
      skipSpace();
      while (pos < in.length() && in.charAt(pos) != '}') {
        String name;
        char c = in.charAt(pos);
        if (c == '"' || c == '\'' || c == '`') {
          name = string();
          skipSpace();
          if (pos < in.length() && (in.charAt(pos) == ',' || in.charAt(pos) == '}')) {
            out.add(Matcher.equal(Labels.METRIC_NAME, name)); // {"metric.name"}
            if (in.charAt(pos) == ',') {
              pos++;
              skipSpace();
            }
            continue;
          }
        } else {
          name = identifier(false);
        }
        skipSpace();
        MatchType op = operator();
        skipSpace();
        String value = string();
        try {
          out.add(Matcher.of(op, name, value));
        } catch (IllegalArgumentException e) {
          throw error(e.getMessage());
        }
        skipSpace();
        if (pos < in.length() && in.charAt(pos) == ',') {
          pos++;
          skipSpace();
        } else if (pos >= in.length() || in.charAt(pos) != '}') {
          throw error("unexpected " + found() + " in label matching, expected \",\" or \"}\"");
        }
      }
      if (pos >= in.length()) {
        throw error("unexpected end of input inside braces");
      }
      pos++;
    }
    skipSpace();
    if (pos < in.length()) {
      throw error("unexpected " + found() + " after the selector");
    }
    if (out.isEmpty()) {
      throw error("unexpected end of input, expected a metric name or \"{\"");
    }
    return out;
  }

  private MatchType operator() {
    for (MatchType t :
        new MatchType[] {MatchType.REGEX, MatchType.NOT_REGEX, MatchType.NOT_EQUAL}) {
      if (in.startsWith(t.operator(), pos)) {
        pos += 2;
        return t;
      }
    }
    if (pos < in.length() && in.charAt(pos) == '=') {
      pos++;
      return MatchType.EQUAL;
    }
    throw error("unexpected " + found() + " in label matching, expected label matching operator");
  }

  private String identifier(boolean metric) {
    int start = pos;
    if (pos >= in.length() || !isNameStart(in.charAt(pos), metric)) {
      throw error("unexpected " + found() + ", expected a label name");
    }
    pos++;
    while (pos < in.length() && (isNameStart(in.charAt(pos), metric) || isDigit(in.charAt(pos)))) {
      pos++;
    }
    return in.substring(start, pos);
  }

  private String string() {
    if (pos >= in.length()) {
      throw error("unexpected end of input, expected a string");
    }
    char q = in.charAt(pos);
    if (q != '"' && q != '\'' && q != '`') {
      throw error("unexpected " + found() + ", expected a quoted string");
    }
    try {
      Unquoter.Scanned s = Unquoter.scan(in, pos);
      pos = s.end();
      return s.value();
    } catch (ParseException e) {
      throw error(e.detail()); // the position is the opening quote's, as in PromQL
    }
  }

  private static boolean isNameStart(char c, boolean metric) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (metric && c == ':');
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private void skipSpace() {
    while (pos < in.length() && Character.isWhitespace(in.charAt(pos))) {
      pos++;
    }
  }

  private String found() {
    return pos >= in.length() ? "end of input" : "character \"" + in.charAt(pos) + "\"";
  }

  private IllegalArgumentException error(String msg) {
    return new IllegalArgumentException("1:" + (pos + 1) + ": parse error: " + msg);
  }
}
