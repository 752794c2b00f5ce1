package io.meridian.promql.script;

import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.model.Matcher;
import io.meridian.promql.parser.AggregateExpr;
import io.meridian.promql.parser.AggregateOp;
import io.meridian.promql.parser.At;
import io.meridian.promql.parser.BinaryExpr;
import io.meridian.promql.parser.BinaryOp;
import io.meridian.promql.parser.Call;
import io.meridian.promql.parser.Expr;
import io.meridian.promql.parser.Function;
import io.meridian.promql.parser.MatrixSelector;
import io.meridian.promql.parser.NumberLiteral;
import io.meridian.promql.parser.SubqueryExpr;
import io.meridian.promql.parser.VectorSelector;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The {@code @} rewrite on hand-built trees (the parser and printer land separately). */
class StepInvarianceTest {
  private static VectorSelector sel(String name) {
    return new VectorSelector(name, List.of(Matcher.equal("__name__", name)), 0, null, 0);
  }

  @Test
  void atGoesOnEverySelectorAndOutermostSubqueryWithoutOne() {
    VectorSelector pinned = new VectorSelector("p", List.of(), 0, At.time(5), 0);
    SubqueryExpr sub =
        new SubqueryExpr(
            new Call(Function.byName("rate"), List.of(new MatrixSelector(sel("c"), 60_000, 0)), 0),
            300_000,
            0,
            0,
            null,
            0);
    Expr e =
        new BinaryExpr(
            BinaryOp.OR,
            new AggregateExpr(AggregateOp.byName("sum"), sel("a"), null, List.of(), false, 0),
            new BinaryExpr(BinaryOp.OR, pinned, sub, null, false, 0),
            null,
            false,
            0);
    BinaryExpr out = (BinaryExpr) StepInvariance.withAt(e, 1000);
    assertThat(((VectorSelector) ((AggregateExpr) out.lhs()).expr()).at()).isEqualTo(At.time(1000));
    BinaryExpr rhs = (BinaryExpr) out.rhs();
    assertThat(((VectorSelector) rhs.lhs()).at())
        .as("an @ already there stays")
        .isEqualTo(At.time(5));
    SubqueryExpr s = (SubqueryExpr) rhs.rhs();
    assertThat(s.at()).isEqualTo(At.time(1000));
    MatrixSelector inner = (MatrixSelector) ((Call) s.expr()).args().getFirst();
    assertThat(inner.selector().at()).as("inside the pinned subquery nothing changes").isNull();
  }

  @Test
  void timeDependentFunctionsHaveNoVariants() {
    Expr time = new Call(Function.byName("time"), List.of(), 0);
    assertThat(StepInvariance.callsUnsafe(time)).isTrue();
    assertThat(StepInvariance.variants(time, 1000)).isEmpty();
    Expr ts = new Call(Function.byName("timestamp"), List.of(sel("a")), 0);
    assertThat(
            StepInvariance.callsUnsafe(
                new AggregateExpr(AggregateOp.byName("sum"), ts, null, List.of(), false, 0)))
        .isTrue();
    assertThat(StepInvariance.callsUnsafe(new NumberLiteral(1, 0))).isFalse();
  }

  @Test
  void variantTimesAreThoseOfPrometheus() {
    assertThat(StepInvariance.variants(sel("a"), 1000))
        .extracting(StepInvariance.Variant::time)
        .containsExactly(-10_000L, 0L, 200L, 1000L, 10_000L);
    assertThat(StepInvariance.variants(sel("a"), 0))
        .extracting(StepInvariance.Variant::time)
        .containsExactly(-1000L, 0L, 1000L);
  }
}
