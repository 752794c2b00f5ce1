package io.meridian.promql;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import io.meridian.model.Labels;
import io.meridian.model.NameValidation;
import io.meridian.promql.Val.Vec;
import io.meridian.promql.parser.Expr;
import java.util.List;

/**
 * label_replace and label_join: rewrite a label of every series. Bad arguments are evaluation
 * errors ({@code execution}), as Prometheus reports them.
 */
final class LabelFunctions {
  private LabelFunctions() {}

  static Vec replace(Evaluator ev, List<Expr> args) {
    String dst = Functions.string(ev, args.get(1)).s();
    String replacement = Functions.string(ev, args.get(2)).s();
    String src = Functions.string(ev, args.get(3)).s();
    String regex = Functions.string(ev, args.get(4)).s();
    Pattern p;
    try {
      p = Pattern.compile("^(?s:" + regex + ")$");
    } catch (PatternSyntaxException e) {
      throw new PromqlException(
          PromqlException.Kind.EXECUTION,
          "invalid regular expression in label_replace(): " + regex);
    }
    if (NameValidation.UTF8.labelNameError(dst) != null) {
      throw new PromqlException(
          PromqlException.Kind.EXECUTION,
          "invalid destination label name in label_replace(): " + dst);
    }
    Vec v = ev.evalVector(args.get(0));
    for (Row r : v.rows()) {
      String value = r.labels.get(src);
      Matcher m = p.matcher(value == null ? "" : value);
      if (m.matches()) {
        String res = expand(m, replacement);
        r.labels = r.labels.toBuilder().set(dst, res).build();
        if (dst.equals(Labels.METRIC_NAME)) {
          r.dropName = false;
        }
      }
      r.ts = null;
    }
    return checkUnique(v);
  }

  /** Go's regexp Expand: $1, ${1}, $name, ${name}, $$. */
  static String expand(Matcher m, String template) {
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < template.length()) {
      char c = template.charAt(i);
      if (c != '$' || i + 1 >= template.length()) {
        out.append(c);
        i++;
        continue;
      }
      char d = template.charAt(i + 1);
      if (d == '$') {
        out.append('$');
        i += 2;
        continue;
      }
      String name;
      int end;
      if (d == '{') {
        int close = template.indexOf('}', i + 2);
        if (close < 0) {
          out.append(c);
          i++;
          continue;
        }
        name = template.substring(i + 2, close);
        end = close + 1;
      } else {
        int j = i + 1;
        while (j < template.length() && isNameChar(template.charAt(j))) {
          j++;
        }
        name = template.substring(i + 1, j);
        end = j;
      }
      if (name.isEmpty() || !name.chars().allMatch(ch -> isNameChar((char) ch))) {
        out.append(c); // not a valid reference: kept as written
        i++;
        continue;
      }
      String group = null;
      if (name.chars().allMatch(Character::isDigit)) {
        int g = Integer.parseInt(name.length() > 9 ? "999999999" : name);
        if (g <= m.groupCount()) {
          group = m.group(g);
        }
      } else {
        try {
          group = m.group(name);
        } catch (IllegalArgumentException e) {
          group = null;
        }
      }
      if (group != null) {
        out.append(group);
      }
      i = end;
    }
    return out.toString();
  }

  private static boolean isNameChar(char c) {
    return c == '_' || Character.isLetterOrDigit(c);
  }

  static Vec join(Evaluator ev, List<Expr> args) {
    String dst = Functions.string(ev, args.get(1)).s();
    String sep = Functions.string(ev, args.get(2)).s();
    String[] srcs = new String[args.size() - 3];
    for (int i = 3; i < args.size(); i++) {
      srcs[i - 3] = Functions.string(ev, args.get(i)).s();
    }
    if (NameValidation.UTF8.labelNameError(dst) != null) {
      throw new PromqlException(
          PromqlException.Kind.EXECUTION, "invalid destination label name in label_join(): " + dst);
    }
    for (String s : srcs) {
      if (NameValidation.UTF8.labelNameError(s) != null) {
        throw new PromqlException(
            PromqlException.Kind.EXECUTION, "invalid source label name in label_join(): " + s);
      }
    }
    Vec v = ev.evalVector(args.get(0));
    for (Row r : v.rows()) {
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < srcs.length; i++) {
        if (i > 0) {
          b.append(sep);
        }
        String x = r.labels.get(srcs[i]);
        b.append(x == null ? "" : x);
      }
      r.labels = r.labels.toBuilder().set(dst, b.toString()).build();
      if (dst.equals(Labels.METRIC_NAME)) {
        r.dropName = false;
      }
      r.ts = null;
    }
    return checkUnique(v);
  }

  /** A function's output may not hold two series with the same labels at one step. */
  static Vec checkUnique(Vec v) {
    java.util.Map<Labels, Row> seen = new java.util.HashMap<>();
    for (Row r : v.rows()) {
      Labels l = r.outputLabels();
      Row other = seen.putIfAbsent(l, r);
      if (other != null) {
        for (int i = 0; i < r.has.length; i++) {
          if (r.has[i] && other.has[i]) {
            throw new PromqlException(
                PromqlException.Kind.EXECUTION,
                "vector cannot contain metrics with the same labelset");
          }
        }
      }
    }
    return v;
  }
}
