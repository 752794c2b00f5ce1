package io.meridian.promql;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import io.meridian.model.Labels;
import io.meridian.model.NameValidation;
import io.meridian.promql.Val.Vec;
import io.meridian.promql.parser.Expr;
import io.meridian.relabel.RegexTemplate;
import io.meridian.relabel.RelabelRule;
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
      p = RelabelRule.compile(regex);
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
        String res = RegexTemplate.expand(replacement, value == null ? "" : value, m, p);
        r.labels = r.labels.toBuilder().set(dst, res).build();
        if (dst.equals(Labels.METRIC_NAME)) {
          r.dropName = false;
        }
      }
      r.ts = null;
    }
    return checkUnique(v);
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
