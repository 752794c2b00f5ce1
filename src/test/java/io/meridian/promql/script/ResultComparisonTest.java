package io.meridian.promql.script;

import static io.meridian.promql.script.ResultComparison.EPSILON;
import static io.meridian.util.AlmostEqual.equal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meridian.model.Labels;
import io.meridian.promql.Matrix;
import io.meridian.promql.QueryResult;
import io.meridian.promql.RangeSeries;
import io.meridian.promql.Sample;
import io.meridian.promql.Scalar;
import io.meridian.promql.StringValue;
import io.meridian.promql.Value;
import io.meridian.promql.Vector;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResultComparisonTest {
  private static final Labels A = Labels.of("__name__", "m", "i", "a");
  private static final Labels B = Labels.of("__name__", "m", "i", "b");

  private static Command.Eval eval(String text) {
    return ScriptReader.read("t.test", text).evals().getFirst();
  }

  private static void compare(String script, Value v) {
    ResultComparison.compare(eval(script), v);
  }

  private static Vector vector(Object... labelsAndValues) {
    List<Sample> s = new java.util.ArrayList<>();
    for (int i = 0; i < labelsAndValues.length; i += 2) {
      s.add(new Sample((Labels) labelsAndValues[i], 0, (Double) labelsAndValues[i + 1]));
    }
    return new Vector(s);
  }

  @Test
  void almostEqualIsPrometheussRule() {
    assertThat(equal(1, 1 + 1e-7, EPSILON)).isTrue();
    assertThat(equal(1, 1 + 3e-6, EPSILON)).isFalse();
    assertThat(equal(1e20, 1.0000001e20, EPSILON)).isTrue();
    assertThat(equal(Double.NaN, Double.NaN, EPSILON)).isTrue();
    assertThat(equal(Double.NaN, 1, EPSILON)).isFalse();
    assertThat(equal(Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, EPSILON)).isTrue();
    assertThat(equal(Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, EPSILON)).isFalse();
    assertThat(equal(Double.POSITIVE_INFINITY, Double.MAX_VALUE, EPSILON)).isFalse();
    assertThat(equal(0, 1e-300, EPSILON)).isFalse();
    assertThat(equal(0, -0.0, EPSILON)).isTrue();
  }

  @Test
  void vectorsMatchBySeriesInAnyOrder() {
    String s = "eval instant at 0 m\n  m{i=\"a\"} 1\n  m{i=\"b\"} 2\n";
    assertThatCode(() -> compare(s, vector(B, 2.0, A, 1.0000001))).doesNotThrowAnyException();
    assertThatThrownBy(() -> compare(s, vector(A, 1.0, B, 3.0)))
        .isInstanceOf(EvalFailure.class)
        .hasMessage("expected 2 for {__name__=\"m\", i=\"b\"} but got 3");
    assertThatThrownBy(() -> compare(s, vector(A, 1.0)))
        .hasMessage("expected metric {__name__=\"m\", i=\"b\"} with [2] not found");
    assertThatThrownBy(
            () -> compare("eval instant at 0 m\n  m{i=\"a\"} 1\n", vector(A, 1.0, B, 2.0)))
        .hasMessage("unexpected metric {__name__=\"m\", i=\"b\"} in result, has value 2");
    assertThatCode(() -> compare("eval instant at 0 m\n", new Vector(List.of())))
        .doesNotThrowAnyException();
  }

  @Test
  void orderedVectorsMatchByPosition() {
    String s = "eval instant at 0 sort(m)\n  expect ordered\n  m{i=\"a\"} 1\n  m{i=\"b\"} 2\n";
    assertThatCode(() -> compare(s, vector(A, 1.0, B, 2.0))).doesNotThrowAnyException();
    assertThatThrownBy(() -> compare(s, vector(B, 2.0, A, 1.0)))
        .hasMessage(
            "expected metric {__name__=\"m\", i=\"b\"} with [2] at position 2 but was at 1");
    assertThatThrownBy(() -> compare(s, new Matrix(List.of())))
        .hasMessage("expected ordered result, but query returned a matrix");
  }

  @Test
  void matricesMatchPointByPointAtStartPlusISteps() {
    String s = "eval range from 0 to 3m step 1m m\n  m{i=\"a\"} 1 _ 3 NaN\n";
    RangeSeries good =
        new RangeSeries(A, new long[] {0, 120_000, 180_000}, new double[] {1, 3, Double.NaN}, 3);
    assertThatCode(() -> compare(s, new Matrix(List.of(good)))).doesNotThrowAnyException();
    RangeSeries shifted =
        new RangeSeries(A, new long[] {0, 60_000, 180_000}, new double[] {1, 3, Double.NaN}, 3);
    assertThatThrownBy(() -> compare(s, new Matrix(List.of(shifted))))
        .hasMessageStartingWith(
            "expected float value at index 1 for {__name__=\"m\", i=\"a\"} to have timestamp 120000,"
                + " but it had timestamp 60000");
    RangeSeries wrong =
        new RangeSeries(A, new long[] {0, 120_000, 180_000}, new double[] {1, 4, Double.NaN}, 3);
    assertThatThrownBy(() -> compare(s, new Matrix(List.of(wrong))))
        .hasMessageStartingWith("expected float value at index 1 (t=120000)")
        .hasMessageContaining("to be 3, but got 4");
    RangeSeries short1 = new RangeSeries(A, new long[] {0}, new double[] {1}, 1);
    assertThatThrownBy(() -> compare(s, new Matrix(List.of(short1))))
        .hasMessageStartingWith("expected 3 float points for {__name__=\"m\", i=\"a\"}, but got 1");
    assertThatThrownBy(() ->
            compare(
                "eval range from 0 to 1m step 1m m\n  m{i=\"a\"} 1 2 3\n",
                new Matrix(List.of(good))))
        .hasMessageContaining("query time range cannot return this many points");
  }

  @Test
  void matricesMustBeSortedByLabels() {
    String s = "eval range from 0 to 0 step 1m m\n  m{i=\"a\"} 1\n  m{i=\"b\"} 1\n";
    RangeSeries a = new RangeSeries(A, new long[] {0}, new double[] {1}, 1);
    RangeSeries b = new RangeSeries(B, new long[] {0}, new double[] {1}, 1);
    assertThatCode(() -> compare(s, new Matrix(List.of(a, b)))).doesNotThrowAnyException();
    assertThatThrownBy(() -> compare(s, new Matrix(List.of(b, a))))
        .hasMessageStartingWith("matrix results should always be sorted by labels");
  }

  @Test
  void scalarsAndStrings() {
    assertThatCode(() -> compare("eval instant at 0 1\n  1\n", new Scalar(0, 1)))
        .doesNotThrowAnyException();
    assertThatThrownBy(() -> compare("eval instant at 0 1\n  1\n", new Scalar(0, 2)))
        .hasMessage("expected scalar 1 but got 2");
    assertThatThrownBy(() -> compare("eval instant at 0 1\n  1\n", vector(A, 1.0)))
        .hasMessageStartingWith("expected scalar result, but got vector");
    assertThatThrownBy(() -> compare("eval instant at 0 1\n  {} 1\n", new Scalar(0, 1)))
        .hasMessage("expected vector or matrix result, but got scalar 1");
    assertThatCode(() ->
            compare("eval instant at 0 \"a\"\n  expect string \"a\"\n", new StringValue(0, "a")))
        .doesNotThrowAnyException();
    assertThatThrownBy(() ->
            compare("eval instant at 0 \"a\"\n  expect string \"a\"\n", new StringValue(0, "b")))
        .hasMessage("expected string \"a\" but got \"b\"");
  }

  @Test
  void annotations() {
    Command.Eval ev =
        eval("eval instant at 0 m\n  expect warn msg: PromQL warning: w (1:1)\n  expect no_info\n");
    assertThatCode(() ->
            ResultComparison.checkAnnotations(
                ev, new QueryResult(vector(), List.of("PromQL warning: w (1:1)"), List.of())))
        .doesNotThrowAnyException();
    assertThatThrownBy(() ->
            ResultComparison.checkAnnotations(ev, new QueryResult(vector(), List.of(), List.of())))
        .hasMessage("expected warn annotations but none were found");
    assertThatThrownBy(() ->
            ResultComparison.checkAnnotations(
                ev,
                new QueryResult(
                    vector(), List.of("PromQL warning: w (1:1)", "PromQL warning: x"), List.of())))
        .hasMessage("unexpected warn annotation \"PromQL warning: x\"");
    assertThatThrownBy(() ->
            ResultComparison.checkAnnotations(
                ev,
                new QueryResult(
                    vector(), List.of("PromQL warning: w (1:1)"), List.of("PromQL info: i"))))
        .hasMessage("unexpected info annotations: [PromQL info: i]");
    Command.Eval quiet = eval("eval instant at 0 m\n");
    assertThatCode(() ->
            ResultComparison.checkAnnotations(
                quiet, new QueryResult(vector(), List.of("a"), List.of("b"))))
        .as("without expect lines annotations are not checked")
        .doesNotThrowAnyException();
  }

  @Test
  void expectedFailures() {
    assertThatCode(
            () -> ResultComparison.checkFailure(eval("eval instant at 0 m\n  expect fail\n"), "x"))
        .doesNotThrowAnyException();
    assertThatThrownBy(() ->
            ResultComparison.checkFailure(
                eval("eval instant at 0 m\n  expect fail msg: a b\n"), "a c"))
        .hasMessage("expected error matching \"a b\" but got: a c");
    assertThatCode(() ->
            ResultComparison.checkFailure(
                eval("eval instant at 0 m\n  expect fail regex: lab(el|le)\n"), "bad label name"))
        .doesNotThrowAnyException();
  }
}
