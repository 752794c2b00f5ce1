package io.meridian.promql.parser;

import io.meridian.model.Matcher;
import io.meridian.util.Utf8Order;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Tree rewrites for comparing expressions: without positions, and in a canonical form. */
public final class Exprs {
  private Exprs() {}

  /** The same tree with every {@code pos} set to -1, so trees can be compared with equals. */
  public static Expr withoutPositions(Expr e) {
    return rewrite(e, false);
  }

  /**
   * The tree without positions and with each selector's matchers in printed order (sorted, the name
   * matcher last): the form in which a tree and the parse of its printed text are equal.
   */
  public static Expr normalized(Expr e) {
    return rewrite(e, true);
  }

  private static Expr rewrite(Expr e, boolean sort) {
    return switch (e) {
      case NumberLiteral n -> new NumberLiteral(n.value(), -1);
      case StringLiteral s -> new StringLiteral(s.value(), -1);
      case VectorSelector v -> selector(v, sort);
      case MatrixSelector m ->
          new MatrixSelector(selector(m.selector(), sort), m.rangeMillis(), -1);
      case SubqueryExpr s ->
          new SubqueryExpr(
              rewrite(s.expr(), sort),
              s.rangeMillis(),
              s.stepMillis(),
              s.offsetMillis(),
              s.at(),
              -1);
      case ParenExpr p -> new ParenExpr(rewrite(p.expr(), sort), -1);
      case UnaryExpr u -> new UnaryExpr(u.negate(), rewrite(u.expr(), sort), -1);
      case BinaryExpr b ->
          new BinaryExpr(
              b.op(),
              rewrite(b.lhs(), sort),
              rewrite(b.rhs(), sort),
              b.matching(),
              b.returnBool(),
              -1);
      case AggregateExpr a ->
          new AggregateExpr(
              a.op(),
              rewrite(a.expr(), sort),
              a.param() == null ? null : rewrite(a.param(), sort),
              a.grouping(),
              a.without(),
              -1);
      case Call c -> {
        List<Expr> args = new ArrayList<>();
        for (Expr arg : c.args()) {
          args.add(rewrite(arg, sort));
        }
        yield new Call(c.func(), args, -1);
      }
    };
  }

  private static VectorSelector selector(VectorSelector v, boolean sort) {
    List<Matcher> ms = v.matchers();
    if (sort) {
      ms = new ArrayList<>(ms);
      Matcher nameMatcher = v.name() == null ? null : ms.removeLast();
      ms.sort(Comparator.comparing(Matcher::toString, Utf8Order.COMPARATOR));
      if (nameMatcher != null) {
        ms.add(nameMatcher);
      }
    }
    return new VectorSelector(v.name(), ms, v.offsetMillis(), v.at(), -1);
  }
}
