package io.meridian.promql;

import io.meridian.model.Labels;
import io.meridian.promql.Val.Num;
import io.meridian.promql.Val.Str;
import io.meridian.promql.Val.Vec;
import io.meridian.promql.parser.AggregateExpr;
import io.meridian.promql.parser.AggregateOp;
import io.meridian.util.GoFormat;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The aggregation operators. Groups are fixed per row (labels do not change over the steps), so
 * each row's group is found once; values are then folded step by step.
 */
final class Aggregations {
  private Aggregations() {}

  static Val eval(Evaluator ev, AggregateExpr a) {
    if (Accumulator.handles(a.op())) {
      return foldStreaming(ev, a);
    }
    Val param = a.param() == null ? null : ev.eval(a.param());
    Vec in = ev.evalVector(a.expr());
    int steps = ev.steps.count();
    // Group the rows: key labels in first-appearance order, as Prometheus orders its output.
    Map<Labels, List<Row>> groups = new LinkedHashMap<>();
    for (Row r : in.rows()) {
      groups.computeIfAbsent(groupKey(r.labels, a), k -> new ArrayList<>()).add(r);
    }
    return switch (a.op()) {
      case TOPK, BOTTOMK, LIMITK, LIMIT_RATIO -> select(ev, a, groups, ((Num) param).v(), steps);
      case COUNT_VALUES -> countValues(groups, ((Str) param).s(), steps);
      default -> fold(ev, a, groups, param == null ? null : ((Num) param).v(), steps);
    };
  }

  static Labels groupKey(Labels l, AggregateExpr a) {
    if (a.without()) {
      Labels.Builder b = l.toBuilder();
      b.del(Labels.METRIC_NAME);
      for (String name : a.grouping()) {
        b.del(name);
      }
      return b.build();
    }
    if (a.grouping().isEmpty()) {
      return Labels.EMPTY;
    }
    Labels.Builder b = Labels.builder();
    for (String name : a.grouping()) {
      String v = l.get(name);
      if (v != null) {
        b.set(name, v);
      }
    }
    return b.build();
  }

  /**
   * sum, avg, count, group, min, max, stddev, stdvar: each input row is folded into its group as it
   * is computed, so the query holds one row per group, not one per input series.
   */
  private static Vec foldStreaming(Evaluator ev, AggregateExpr a) {
    int steps = ev.steps.count();
    Map<Labels, Accumulator> groups = new LinkedHashMap<>();
    Map<Labels, Boolean> dropName = new HashMap<>();
    ev.stream(
        a.expr(),
        r -> {
          Labels key = groupKey(r.labels, a);
          groups.computeIfAbsent(key, k -> new Accumulator(a.op(), steps)).add(r);
          if (r.dropName) {
            dropName.put(key, Boolean.TRUE);
          }
        });
    List<Row> out = new ArrayList<>(groups.size());
    for (Map.Entry<Labels, Accumulator> g : groups.entrySet()) {
      Row o = g.getValue().result(g.getKey());
      o.dropName = dropName.containsKey(g.getKey());
      if (!o.empty()) {
        out.add(o);
      }
    }
    return new Vec(out);
  }

  /** Aggregations that fold each group to one value per step. */
  private static Vec fold(
      Evaluator ev, AggregateExpr a, Map<Labels, List<Row>> groups, double[] param, int steps) {
    List<Row> out = new ArrayList<>(groups.size());
    double[] buf = new double[16];
    for (Map.Entry<Labels, List<Row>> g : groups.entrySet()) {
      Row o = new Row(g.getKey(), steps);
      List<Row> rows = g.getValue();
      o.dropName = anyDropsName(rows);
      for (int i = 0; i < steps; i++) {
        int n = 0;
        for (Row r : rows) {
          if (r.has[i]) {
            if (n == buf.length) {
              buf = Arrays.copyOf(buf, n * 2);
            }
            buf[n++] = r.v[i];
          }
        }
        if (n == 0) {
          continue;
        }
        double q = param == null ? 0 : param[i];
        if (a.op() == AggregateOp.QUANTILE && !(q >= 0 && q <= 1)) {
          ev.ctx.warn(
              "quantile value should be between 0 and 1, got " + GoFormat.g(q), a.param().pos());
        }
        o.set(i, quantile(q, buf, n));
      }
      if (!o.empty()) {
        out.add(o);
      }
    }
    return new Vec(out);
  }

  /**
   * Whether a group's output drops the name: when any of its series was to lose it (it matters only
   * when the name is among the grouping labels, as with {@code by (__name__)}).
   */
  private static boolean anyDropsName(List<Row> rows) {
    for (Row r : rows) {
      if (r.dropName) {
        return true;
      }
    }
    return false;
  }

  /**
   * Prometheus's quantile of {@code xs[0, n)}: linear interpolation between the closest ranks, NaNs
   * sorted first. Sorts {@code xs} in place: callers pass scratch space or a copy.
   */
  static double quantile(double q, double[] xs, int n) {
    if (n == 0 || Double.isNaN(q)) {
      return Double.NaN;
    }
    if (q < 0) {
      return Double.NEGATIVE_INFINITY;
    }
    if (q > 1) {
      return Double.POSITIVE_INFINITY;
    }
    sortNaNFirst(xs, n);
    double rank = q * (n - 1);
    double lower = Math.max(0, Math.floor(rank));
    double upper = Math.min(n - 1, lower + 1);
    double weight = rank - Math.floor(rank);
    return xs[(int) lower] * (1 - weight) + xs[(int) upper] * weight;
  }

  private static void sortNaNFirst(double[] v, int n) {
    Arrays.sort(v, 0, n); // NaNs go last in Java's order
    int nans = 0;
    for (int i = n - 1; i >= 0 && Double.isNaN(v[i]); i--) {
      nans++;
    }
    if (nans > 0) {
      System.arraycopy(v, 0, v, nans, n - nans);
      Arrays.fill(v, 0, nans, Double.NaN);
    }
  }

  /** topk, bottomk, limitk, limit_ratio: pick series per group and step, labels unchanged. */
  private static Vec select(
      Evaluator ev, AggregateExpr a, Map<Labels, List<Row>> groups, double[] param, int steps) {
    List<Row> out = new ArrayList<>();
    boolean ratio = a.op() == AggregateOp.LIMIT_RATIO;
    double[] ps = param.clone();
    for (int i = 0; i < steps; i++) {
      double p = ps[i];
      if (Double.isNaN(p)) {
        throw new PromqlException(
            PromqlException.Kind.EXECUTION,
            ratio ? "Ratio value is NaN" : "Parameter value is NaN");
      }
      if (ratio && (p < -1 || p > 1)) {
        ev.ctx.warn(
            "ratio value should be between -1 and 1, got "
                + GoFormat.g(p)
                + ", capping to "
                + (p < 0 ? "-1" : "1"),
            a.param().pos());
        p = p < 0 ? -1 : 1;
      }
      if (!ratio && p > Integer.MAX_VALUE) {
        p = Integer.MAX_VALUE;
      }
      ps[i] = p;
    }
    Map<Row, Row> picked = new LinkedHashMap<>();
    for (List<Row> rows : groups.values()) {
      for (int i = 0; i < steps; i++) {
        List<Row> chosen = choose(a.op(), rows, i, ps[i]);
        for (Row r : chosen) {
          Row o = picked.get(r);
          if (o == null) {
            o = new Row(r.labels, steps);
            o.dropName = r.dropName;
            o.ts = null;
            picked.put(r, o);
            out.add(o);
          }
          o.set(i, r.v[i]);
        }
      }
    }
    return new Vec(out);
  }

  private static List<Row> choose(AggregateOp op, List<Row> rows, int step, double p) {
    List<Row> present = new ArrayList<>();
    for (Row r : rows) {
      if (r.has[step]) {
        present.add(r);
      }
    }
    if (op == AggregateOp.LIMIT_RATIO) {
      double ratio = Math.max(-1, Math.min(1, p));
      List<Row> out = new ArrayList<>();
      for (Row r : present) {
        double h = ratioPosition(r.labels);
        if (ratio >= 0 ? h < ratio : h >= 1 + ratio) {
          out.add(r);
        }
      }
      return out;
    }
    long k = (long) p;
    if (k < 1) {
      return List.of();
    }
    if (op != AggregateOp.LIMITK) {
      boolean top = op == AggregateOp.TOPK;
      // Best first; NaN is the worst either way. Ties keep input order (a stable sort).
      present.sort((x, y) -> {
        double a = x.v[step];
        double b = y.v[step];
        if (Double.isNaN(a) || Double.isNaN(b)) {
          return Boolean.compare(Double.isNaN(a), Double.isNaN(b));
        }
        return top ? Double.compare(b, a) : Double.compare(a, b);
      });
    }
    return present.subList(0, (int) Math.min(k, present.size()));
  }

  /**
   * Where a series falls in [0, 1) for limit_ratio: from its labels' hash, stable across queries.
   */
  static double ratioPosition(Labels l) {
    long h = l.hash();
    return (double) (h >>> 11) / (double) (1L << 53);
  }

  private static Vec countValues(Map<Labels, List<Row>> groups, String label, int steps) {
    if (io.meridian.model.NameValidation.UTF8.labelNameError(label) != null) {
      throw new PromqlException(
          PromqlException.Kind.EXECUTION, "invalid label name " + GoFormat.quote(label));
    }
    Map<Labels, Row> out = new LinkedHashMap<>();
    for (Map.Entry<Labels, List<Row>> g : groups.entrySet()) {
      for (int i = 0; i < steps; i++) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (Row r : g.getValue()) {
          if (r.has[i]) {
            counts.merge(GoFormat.f(r.v[i]), 1, Integer::sum);
          }
        }
        for (Map.Entry<String, Integer> c : counts.entrySet()) {
          Labels l = g.getKey().toBuilder().set(label, c.getKey()).build();
          Row o = out.get(l);
          if (o == null) {
            o = new Row(l, steps);
            o.dropName = anyDropsName(g.getValue());
            out.put(l, o);
          }
          o.set(i, c.getValue());
        }
      }
    }
    return new Vec(new ArrayList<>(out.values()));
  }
}
