package io.meridian.promql.parser;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.function.BinaryOperator;

/**
 * Applies {@code offset} and {@code @} to the node before them, with Prometheus's checks: only
 * selectors and subqueries take them, each at most once. A range selector's modifiers belong to its
 * inner selector.
 */
final class Modifiers {
  private Modifiers() {}

  /** {@code e offset ms}; {@code rebuilt} is told of each replaced node. */
  static Expr withOffset(String query, Expr e, long ms, BinaryOperator<Expr> rebuilt) {
    return switch (e) {
      case VectorSelector vs -> {
        if (vs.offsetMillis() != 0) {
          throw twice(query, e, "offset may not be set multiple times");
        }
        yield rebuilt.apply(
            vs, new VectorSelector(vs.name(), vs.matchers(), ms, vs.at(), vs.pos()));
      }
      case MatrixSelector m -> {
        VectorSelector vs = m.selector();
        if (vs.offsetMillis() != 0) {
          throw twice(query, e, "offset may not be set multiple times");
        }
        VectorSelector inner = new VectorSelector(vs.name(), vs.matchers(), ms, vs.at(), vs.pos());
        yield rebuilt.apply(m, new MatrixSelector(inner, m.rangeMillis(), m.pos()));
      }
      case SubqueryExpr s -> {
        if (s.offsetMillis() != 0) {
          throw twice(query, e, "offset may not be set multiple times");
        }
        yield rebuilt.apply(
            s, new SubqueryExpr(s.expr(), s.rangeMillis(), s.stepMillis(), ms, s.at(), s.pos()));
      }
      default ->
          throw new ParseException(
              query,
              e.pos(),
              "offset modifier must be preceded by an instant vector selector or range vector"
                  + " selector or a subquery");
    };
  }

  /** {@code e @ at}. */
  static Expr withAt(String query, Expr e, At at, BinaryOperator<Expr> rebuilt) {
    return switch (e) {
      case VectorSelector vs -> {
        if (vs.at() != null) {
          throw twice(query, e, "@ <timestamp> may not be set multiple times");
        }
        yield rebuilt.apply(
            vs, new VectorSelector(vs.name(), vs.matchers(), vs.offsetMillis(), at, vs.pos()));
      }
      case MatrixSelector m -> {
        VectorSelector vs = m.selector();
        if (vs.at() != null) {
          throw twice(query, e, "@ <timestamp> may not be set multiple times");
        }
        VectorSelector inner =
            new VectorSelector(vs.name(), vs.matchers(), vs.offsetMillis(), at, vs.pos());
        yield rebuilt.apply(m, new MatrixSelector(inner, m.rangeMillis(), m.pos()));
      }
      case SubqueryExpr s -> {
        if (s.at() != null) {
          throw twice(query, e, "@ <timestamp> may not be set multiple times");
        }
        yield rebuilt.apply(
            s,
            new SubqueryExpr(
                s.expr(), s.rangeMillis(), s.stepMillis(), s.offsetMillis(), at, s.pos()));
      }
      default ->
          throw new ParseException(
              query,
              e.pos(),
              "@ modifier must be preceded by an instant vector selector or range vector selector"
                  + " or a subquery");
    };
  }

  private static ParseException twice(String query, Expr e, String detail) {
    return new ParseException(query, e.pos(), detail);
  }

  /** Go's {@code math.Round}: halves away from zero. */
  static long roundHalfAway(double v) {
    return (long) Math.copySign(Math.floor(Math.abs(v) + 0.5), v);
  }

  /** Go's {@code %f}: six decimals, {@code +Inf}, {@code NaN}. */
  static String goFixed6(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "+Inf" : "-Inf";
    }
    return new BigDecimal(v).setScale(6, RoundingMode.HALF_EVEN).toPlainString();
  }
}
