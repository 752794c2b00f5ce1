package io.meridian.promql;

import io.meridian.promql.Val.Vec;
import io.meridian.promql.parser.Call;
import io.meridian.promql.parser.Expr;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * sort, sort_desc, sort_by_label, sort_by_label_desc. Order only means something for an instant
 * query; a range query's result is ordered by labels, so there they warn and change nothing.
 */
final class Sorting {
  private Sorting() {}

  static Val sort(Evaluator ev, Call c) {
    String name = c.func().name();
    Vec v = ev.evalVector(c.args().get(0));
    if (!ev.ctx.instant) {
      ev.ctx.warn(
          "sort is ineffective for range queries since results are always ordered by labels",
          c.pos());
      return v;
    }
    List<Row> rows = new ArrayList<>(v.rows());
    Comparator<Row> order =
        switch (name) {
          case "sort" -> (a, b) -> byValue(a.v[0], b.v[0], false);
          case "sort_desc" -> (a, b) -> byValue(a.v[0], b.v[0], true);
          default -> byLabels(ev, c.args(), name.endsWith("_desc"));
        };
    rows.sort(order);
    return new Vec(rows);
  }

  /** Ascending or descending by value, NaN last either way. */
  private static int byValue(double a, double b, boolean desc) {
    if (Double.isNaN(a) || Double.isNaN(b)) {
      return Boolean.compare(Double.isNaN(a), Double.isNaN(b));
    }
    return desc ? Double.compare(b, a) : Double.compare(a, b);
  }

  private static Comparator<Row> byLabels(Evaluator ev, List<Expr> args, boolean desc) {
    List<String> names = new ArrayList<>();
    for (int i = 1; i < args.size(); i++) {
      names.add(Functions.string(ev, args.get(i)).s());
    }
    Comparator<Row> c =
        (a, b) -> {
          for (String n : names) {
            String x = a.labels.get(n);
            String y = b.labels.get(n);
            int r = NaturalOrder.compare(x == null ? "" : x, y == null ? "" : y);
            if (r != 0) {
              return r;
            }
          }
          return a.labels.compareTo(b.labels);
        };
    return desc ? c.reversed() : c;
  }
}
