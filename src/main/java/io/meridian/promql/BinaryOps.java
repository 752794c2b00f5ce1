package io.meridian.promql;

import io.meridian.model.Labels;
import io.meridian.promql.Val.Num;
import io.meridian.promql.Val.Vec;
import io.meridian.promql.parser.BinaryExpr;
import io.meridian.promql.parser.BinaryOp;
import io.meridian.promql.parser.VectorMatching;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Binary operators between scalars and vectors, with Prometheus's matching rules and errors. */
final class BinaryOps {
  private BinaryOps() {}

  static Val eval(Evaluator ev, BinaryExpr b) {
    Val l = ev.eval(b.lhs());
    Val r = ev.eval(b.rhs());
    BinaryOp op = b.op();
    if (l instanceof Num ln && r instanceof Num rn) {
      double[] lv = ln.v();
      double[] rv = rn.v();
      double[] out = new double[lv.length];
      for (int i = 0; i < lv.length; i++) {
        double x = apply(op, lv[i], rv[i]);
        out[i] = op.isComparison() ? (comparison(op, lv[i], rv[i]) ? 1 : 0) : x;
      }
      return new Num(out);
    }
    if (l instanceof Vec lv && r instanceof Num rn) {
      return vectorScalar(lv, rn.v(), op, b.returnBool(), false);
    }
    if (l instanceof Num ln && r instanceof Vec rv) {
      return vectorScalar(rv, ln.v(), op, b.returnBool(), true);
    }
    Vec lv = (Vec) l;
    Vec rv = (Vec) r;
    VectorMatching m = b.matching();
    if (m == null) {
      m = new VectorMatching(VectorMatching.Cardinality.ONE_TO_ONE, List.of(), false, List.of());
    }
    return switch (op) {
      case AND, UNLESS -> andUnless(ev, lv, rv, m, op == BinaryOp.AND);
      case OR -> or(ev, lv, rv, m);
      default -> vectorVector(ev, lv, rv, op, m, b.returnBool());
    };
  }

  /** The arithmetic result, or for comparisons the left value (kept when the comparison holds). */
  static double apply(BinaryOp op, double l, double r) {
    return switch (op) {
      case ADD -> l + r;
      case SUB -> l - r;
      case MUL -> l * r;
      case DIV -> l / r;
      case MOD -> l % r; // Java's remainder is Go's math.Mod: sign of the dividend
      case POW -> pow(l, r);
      case ATAN2 -> Math.atan2(l, r);
      default -> l;
    };
  }

  /** Go's math.Pow where it differs from Java's: 1 for (1, anything) and (-1, ±Inf). */
  static double pow(double x, double y) {
    if (x == 1 || (x == -1 && Double.isInfinite(y))) {
      return 1;
    }
    return Math.pow(x, y);
  }

  static boolean comparison(BinaryOp op, double l, double r) {
    return switch (op) {
      case EQL -> l == r;
      case NEQ -> l != r;
      case GTR -> l > r;
      case LSS -> l < r;
      case GTE -> l >= r;
      case LTE -> l <= r;
      default -> throw new IllegalArgumentException(op + " is not a comparison");
    };
  }

  private static Vec vectorScalar(
      Vec vec, double[] scalar, BinaryOp op, boolean returnBool, boolean scalarOnLeft) {
    boolean cmp = op.isComparison();
    List<Row> out = new ArrayList<>(vec.rows().size());
    for (Row row : vec.rows()) {
      for (int i = 0; i < row.v.length; i++) {
        if (!row.has[i]) {
          continue;
        }
        double lv = scalarOnLeft ? scalar[i] : row.v[i];
        double rv = scalarOnLeft ? row.v[i] : scalar[i];
        if (cmp) {
          boolean keep = comparison(op, lv, rv);
          if (returnBool) {
            row.v[i] = keep ? 1 : 0;
          } else if (!keep) {
            row.has[i] = false;
          } // a kept sample keeps the vector's own value, whichever side it is on
        } else {
          row.v[i] = apply(op, lv, rv);
        }
      }
      if (!cmp || returnBool) {
        row.dropName = true;
      }
      row.ts = null;
      if (!row.empty()) {
        out.add(row);
      }
    }
    return new Vec(out);
  }

  /** The labels two series are matched on. */
  static Labels signature(Labels l, VectorMatching m) {
    Labels.Builder b = Labels.builder();
    if (m.on()) {
      for (String name : m.labels()) {
        String v = l.get(name);
        if (v != null) {
          b.set(name, v);
        }
      }
      return b.build();
    }
    b = l.toBuilder();
    b.del(Labels.METRIC_NAME);
    for (String name : m.labels()) {
      b.del(name);
    }
    return b.build();
  }

  private static Labels[] signatures(List<Row> rows, VectorMatching m) {
    Labels[] out = new Labels[rows.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = signature(rows.get(i).labels, m);
    }
    return out;
  }

  private static Vec andUnless(Evaluator ev, Vec l, Vec r, VectorMatching m, boolean and) {
    Labels[] ls = signatures(l.rows(), m);
    Labels[] rs = signatures(r.rows(), m);
    int steps = ev.steps.count();
    Set<Labels> present = new HashSet<>();
    for (int i = 0; i < steps; i++) {
      present.clear();
      for (int j = 0; j < rs.length; j++) {
        if (r.rows().get(j).has[i]) {
          present.add(rs[j]);
        }
      }
      for (int j = 0; j < ls.length; j++) {
        Row row = l.rows().get(j);
        if (row.has[i] && present.contains(ls[j]) != and) {
          row.has[i] = false;
        }
      }
    }
    List<Row> out = new ArrayList<>();
    for (Row row : l.rows()) {
      if (!row.empty()) {
        out.add(row);
      }
    }
    return new Vec(out);
  }

  private static Vec or(Evaluator ev, Vec l, Vec r, VectorMatching m) {
    Labels[] ls = signatures(l.rows(), m);
    Labels[] rs = signatures(r.rows(), m);
    int steps = ev.steps.count();
    Set<Labels> present = new HashSet<>();
    for (int i = 0; i < steps; i++) {
      present.clear();
      for (int j = 0; j < ls.length; j++) {
        if (l.rows().get(j).has[i]) {
          present.add(ls[j]);
        }
      }
      for (int j = 0; j < rs.length; j++) {
        Row row = r.rows().get(j);
        if (row.has[i] && present.contains(rs[j])) {
          row.has[i] = false;
        }
      }
    }
    List<Row> out = new ArrayList<>();
    for (Row row : l.rows()) {
      if (!row.empty()) {
        out.add(row);
      }
    }
    for (Row row : r.rows()) {
      if (!row.empty()) {
        out.add(row);
      }
    }
    return new Vec(out);
  }

  private static Vec vectorVector(
      Evaluator ev, Vec lhs, Vec rhs, BinaryOp op, VectorMatching m, boolean returnBool) {
    boolean oneToMany = m.card() == VectorMatching.Cardinality.ONE_TO_MANY;
    // As Prometheus does: for one-to-many swap the sides, so the right is always the "one" side.
    List<Row> many = oneToMany ? rhs.rows() : lhs.rows();
    List<Row> one = oneToMany ? lhs.rows() : rhs.rows();
    Labels[] manySig = signatures(many, m);
    Labels[] oneSig = signatures(one, m);
    boolean cmp = op.isComparison();
    boolean dropName = !cmp || returnBool;
    int steps = ev.steps.count();
    Map<Labels, Row> out = new LinkedHashMap<>();
    Map<Labels, Integer> oneBySig = new HashMap<>();
    Map<Labels, Set<Labels>> matched = new HashMap<>();
    Map<Long, Labels> resultCache = new HashMap<>();
    for (int i = 0; i < steps; i++) {
      oneBySig.clear();
      matched.clear();
      for (int j = 0; j < one.size(); j++) {
        if (!one.get(j).has[i]) {
          continue;
        }
        Integer dup = oneBySig.putIfAbsent(oneSig[j], j);
        if (dup != null) {
          Labels a = one.get(j).labels;
          Labels b = one.get(dup).labels;
          if (a.compareTo(b) > 0) {
            Labels t = a;
            a = b;
            b = t;
          }
          throw new PromqlException(
              PromqlException.Kind.EXECUTION,
              "found duplicate series for the match group "
                  + matchLabels(one.get(j).labels, m)
                  + " on the "
                  + (oneToMany ? "left" : "right")
                  + " hand-side of the operation: ["
                  + a
                  + ", "
                  + b
                  + "];many-to-many matching not allowed: matching labels must be unique on one"
                  + " side");
        }
      }
      if (oneBySig.isEmpty()) {
        continue;
      }
      for (int j = 0; j < many.size(); j++) {
        Row ls = many.get(j);
        if (!ls.has[i]) {
          continue;
        }
        Integer k = oneBySig.get(manySig[j]);
        if (k == null) {
          continue;
        }
        Row rs = one.get(k);
        long cacheKey = ((long) j << 32) | k;
        Labels metric = resultCache.get(cacheKey);
        if (metric == null) {
          metric = resultLabels(ls.labels, rs.labels, m);
          resultCache.put(cacheKey, metric);
        }
        // Matching errors come before comparisons filter anything, so a query does not fail or
        // pass depending on the values at hand.
        Set<Labels> inserted = matched.get(manySig[j]);
        if (m.card() == VectorMatching.Cardinality.ONE_TO_ONE) {
          if (inserted != null) {
            throw new PromqlException(
                PromqlException.Kind.EXECUTION,
                "multiple matches for labels: many-to-one matching must be explicit"
                    + " (group_left/group_right)");
          }
          matched.put(manySig[j], Set.of());
        } else {
          if (inserted == null) {
            inserted = new HashSet<>();
            matched.put(manySig[j], inserted);
          }
          if (!inserted.add(metric)) {
            throw new PromqlException(
                PromqlException.Kind.EXECUTION,
                "multiple matches for labels: grouping labels must ensure unique matches");
          }
        }
        double fl = oneToMany ? rs.v[i] : ls.v[i];
        double fr = oneToMany ? ls.v[i] : rs.v[i];
        double value;
        if (cmp) {
          boolean keep = comparison(op, fl, fr);
          if (returnBool) {
            value = keep ? 1 : 0;
          } else if (!keep) {
            continue;
          } else {
            value = fl;
          }
        } else {
          value = apply(op, fl, fr);
        }
        Row o = out.get(metric);
        if (o == null) {
          o = new Row(metric, steps);
          o.dropName = dropName || (cmp && ls.dropName);
          out.put(metric, o);
        }
        o.set(i, value);
      }
    }
    return new Vec(new ArrayList<>(out.values()));
  }

  /** The labels of the match group, as the error message shows them. */
  private static Labels matchLabels(Labels l, VectorMatching m) {
    if (m.on()) {
      return signature(l, m);
    }
    Labels.Builder b = l.toBuilder();
    b.del(Labels.METRIC_NAME);
    for (String name : m.labels()) {
      b.del(name);
    }
    return b.build();
  }

  /** Prometheus's result labels: one-to-one keeps the on labels or drops the ignoring ones. */
  private static Labels resultLabels(Labels many, Labels one, VectorMatching m) {
    Labels.Builder b = many.toBuilder();
    if (m.card() == VectorMatching.Cardinality.ONE_TO_ONE) {
      if (m.on()) {
        Set<String> keep = new HashSet<>(m.labels());
        for (int i = 0; i < many.size(); i++) {
          if (!keep.contains(many.name(i))) {
            b.del(many.name(i));
          }
        }
      } else {
        for (String name : m.labels()) {
          b.del(name);
        }
      }
    }
    for (String name : m.include()) {
      b.set(name, one.get(name) == null ? "" : one.get(name));
    }
    return b.build();
  }
}
