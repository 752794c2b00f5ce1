package io.meridian.promql.script;

import io.meridian.promql.parser.AggregateExpr;
import io.meridian.promql.parser.At;
import io.meridian.promql.parser.BinaryExpr;
import io.meridian.promql.parser.Call;
import io.meridian.promql.parser.Expr;
import io.meridian.promql.parser.MatrixSelector;
import io.meridian.promql.parser.NumberLiteral;
import io.meridian.promql.parser.ParenExpr;
import io.meridian.promql.parser.StringLiteral;
import io.meridian.promql.parser.SubqueryExpr;
import io.meridian.promql.parser.UnaryExpr;
import io.meridian.promql.parser.VectorSelector;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The extra runs of an instant query that Prometheus's runner makes to check that {@code @} pins a
 * result: the query with {@code @ t} added to every selector and subquery that has none (not inside
 * a subquery, which then has one), run at other times ({@code -10t, 0, t/5, t, 10t}; {@code -1s, 0,
 * 1s} when t is 0), must give the result expected at {@code t}. Not for queries calling functions
 * whose result depends on the evaluation time itself.
 */
final class StepInvariance {
  /** Prometheus's {@code AtModifierUnsafeFunctions}. */
  static final Set<String> UNSAFE_FUNCTIONS =
      Set.of(
          "days_in_month",
          "day_of_month",
          "day_of_week",
          "day_of_year",
          "hour",
          "minute",
          "month",
          "year",
          "predict_linear",
          "time",
          "timestamp",
          // These read the query's own start, end and step, which the extra runs change.
          "start",
          "end",
          "range",
          "step");

  /** One extra run: the rewritten query and when to run it. */
  record Variant(String query, long time) {}

  private StepInvariance() {}

  /** The extra runs for {@code e} evaluated at {@code t}; none if it calls an unsafe function. */
  static List<Variant> variants(Expr e, long t) {
    if (callsUnsafe(e)) {
      return List.of();
    }
    String query = withAt(e, t).toString();
    long[] times = t == 0 ? new long[] {-1000, 0, 1000} : new long[] {-10 * t, 0, t / 5, t, 10 * t};
    List<Variant> out = new ArrayList<>();
    for (long time : times) {
      out.add(new Variant(query, time));
    }
    return out;
  }

  /** Whether {@code e} calls an unsafe function outside subqueries (which all get an {@code @}). */
  static boolean callsUnsafe(Expr e) {
    return switch (e) {
      case NumberLiteral n -> false;
      case StringLiteral s -> false;
      case VectorSelector v -> false;
      case MatrixSelector m -> false;
      case SubqueryExpr s -> false;
      case ParenExpr p -> callsUnsafe(p.expr());
      case UnaryExpr u -> callsUnsafe(u.expr());
      case BinaryExpr b -> callsUnsafe(b.lhs()) || callsUnsafe(b.rhs());
      case AggregateExpr a ->
          callsUnsafe(a.expr()) || (a.param() != null && callsUnsafe(a.param()));
      case Call c ->
          UNSAFE_FUNCTIONS.contains(c.func().name())
              || c.args().stream().anyMatch(StepInvariance::callsUnsafe);
    };
  }

  /** {@code e} with {@code @ t} on every selector and outermost subquery that has no {@code @}. */
  static Expr withAt(Expr e, long t) {
    return switch (e) {
      case NumberLiteral n -> n;
      case StringLiteral s -> s;
      case VectorSelector v -> at(v, t);
      case MatrixSelector m -> new MatrixSelector(at(m.selector(), t), m.rangeMillis(), m.pos());
      case SubqueryExpr s ->
          s.at() != null
              ? s
              : new SubqueryExpr(
                  s.expr(), s.rangeMillis(), s.stepMillis(), s.offsetMillis(), At.time(t), s.pos());
      case ParenExpr p -> new ParenExpr(withAt(p.expr(), t), p.pos());
      case UnaryExpr u -> new UnaryExpr(u.negate(), withAt(u.expr(), t), u.pos());
      case BinaryExpr b ->
          new BinaryExpr(
              b.op(),
              withAt(b.lhs(), t),
              withAt(b.rhs(), t),
              b.matching(),
              b.returnBool(),
              b.pos());
      case AggregateExpr a ->
          new AggregateExpr(
              a.op(),
              withAt(a.expr(), t),
              a.param() == null ? null : withAt(a.param(), t),
              a.grouping(),
              a.without(),
              a.pos());
      case Call c ->
          new Call(c.func(), c.args().stream().map(arg -> withAt(arg, t)).toList(), c.pos());
    };
  }

  private static VectorSelector at(VectorSelector v, long t) {
    return v.at() != null
        ? v
        : new VectorSelector(v.name(), v.matchers(), v.offsetMillis(), At.time(t), v.pos());
  }
}
