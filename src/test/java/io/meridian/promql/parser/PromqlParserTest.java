package io.meridian.promql.parser;

import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.model.Matcher;
import io.meridian.promql.parser.VectorMatching.Cardinality;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Valid queries: the tree they parse to, or the text they print back as. */
class PromqlParserTest {

  static Stream<Arguments> printed() {
    return Stream.of(
        // numbers, durations as numbers, strings
        Arguments.of("1", "1"),
        Arguments.of("+Inf", "+Inf"),
        Arguments.of("-Inf", "-Inf"),
        Arguments.of("inf", "+Inf"),
        Arguments.of("NaN", "NaN"),
        Arguments.of("nAn", "NaN"),
        Arguments.of(".5", "0.5"),
        Arguments.of("5.", "5"),
        Arguments.of("5e-3", "0.005"),
        Arguments.of("12.34e+6", "12340000"),
        Arguments.of("1e-7", "0.0000001"),
        Arguments.of("0xc", "12"),
        Arguments.of("0X1F", "31"),
        Arguments.of("0755", "493"),
        Arguments.of("08", "8"),
        Arguments.of("1_000", "1000"),
        Arguments.of("-0755", "-493"),
        Arguments.of("+5.5e-3", "0.0055"),
        Arguments.of("1h30m", "5400"),
        Arguments.of("5m", "300"),
        Arguments.of("1ms", "0.001"),
        Arguments.of("\"a\\nb\"", "\"a\\nb\""),
        Arguments.of("'it\\'s'", "\"it's\""),
        Arguments.of("'say \"hi\"'", "\"say \\\"hi\\\"\""),
        Arguments.of("`raw \\n`", "\"raw \\\\n\""),
        Arguments.of("\"\\x41\\101\\u00e9\\U0001F600\"", "\"AAé😀\""),
        // unary and precedence
        Arguments.of("-1^2", "-1 ^ 2"),
        Arguments.of("-1*2", "-1 * 2"),
        Arguments.of("- -1", "1"),
        Arguments.of("-(1)", "-(1)"),
        Arguments.of("-foo", "-foo"),
        Arguments.of("+foo", "+foo"),
        Arguments.of("2/-2^---1*3+2", "2 / -2 ^ -1 * 3 + 2"),
        Arguments.of("1 + 2 * 3", "1 + 2 * 3"),
        Arguments.of("(1 + 2) * 3", "(1 + 2) * 3"),
        Arguments.of("2 ^ 3 ^ 2", "2 ^ 3 ^ 2"),
        Arguments.of("a - b - c", "a - b - c"),
        Arguments.of("10 atan2 NaN", "10 atan2 NaN"),
        Arguments.of("1 < bool 2 - 1 * 2", "1 < bool 2 - 1 * 2"),
        // selectors
        Arguments.of("foo", "foo"),
        Arguments.of("foo{}", "foo"),
        Arguments.of("foo:bar_total", "foo:bar_total"),
        Arguments.of(
            "foo{b=\"1\",a!=\"2\",c=~\"x.*\",d!~\"y\",}",
            "foo{a!=\"2\",b=\"1\",c=~\"x.*\",d!~\"y\"}"),
        Arguments.of("{__name__=~\"foo.+\"}", "{__name__=~\"foo.+\"}"),
        Arguments.of("{\"my.metric\", a='b'}", "{__name__=\"my.metric\",a=\"b\"}"),
        Arguments.of("{\"my.label\"=\"v\", job=\"x\"}", "{\"my.label\"=\"v\",job=\"x\"}"),
        Arguments.of("foo{ a = \"b\" }", "foo{a=\"b\"}"),
        Arguments.of("sum", "sum"),
        Arguments.of("by{a=\"b\"}", "by{a=\"b\"}"),
        Arguments.of("offset", "offset"),
        Arguments.of("start", "start"),
        Arguments.of("foo and and", "foo and and"),
        Arguments.of("foo * sum", "foo * sum"),
        Arguments.of("foo{by=\"x\", on=\"y\", bool=\"z\"}", "foo{bool=\"z\",by=\"x\",on=\"y\"}"),
        Arguments.of("foo # comment\n + bar", "foo + bar"),
        // ranges, subqueries, offset, @
        Arguments.of("foo[5m]", "foo[5m]"),
        Arguments.of("foo[90m]", "foo[1h30m]"),
        Arguments.of("foo[90d]", "foo[90d]"),
        Arguments.of("foo[14d]", "foo[2w]"),
        Arguments.of("foo[1500ms]", "foo[1s500ms]"),
        Arguments.of("foo[20]", "foo[20s]"),
        Arguments.of("foo[ 5m ]", "foo[5m]"),
        Arguments.of("foo offset 5m", "foo offset 5m"),
        Arguments.of("foo offset -5m", "foo offset -5m"),
        Arguments.of("foo OFFSET 1h", "foo offset 1h"),
        Arguments.of("foo offset 10", "foo offset 10s"),
        Arguments.of("foo @ 1609746000", "foo @ 1609746000.000"),
        Arguments.of("foo @ -1.5", "foo @ -1.500"),
        Arguments.of("foo @ start()", "foo @ start()"),
        Arguments.of("foo @ end() offset 1m", "foo @ end() offset 1m"),
        Arguments.of("foo offset 1m @ end()", "foo @ end() offset 1m"),
        Arguments.of("foo[5m] offset 1m @ 100", "foo[5m] @ 100.000 offset 1m"),
        Arguments.of("foo[5m:1m]", "foo[5m:1m]"),
        Arguments.of("foo[5m:]", "foo[5m:]"),
        Arguments.of(
            "rate(foo[5m])[30m:1m] offset 5m @ end()", "rate(foo[5m])[30m:1m] @ end() offset 5m"),
        Arguments.of("foo offset 1m [10m:5s]", "foo offset 1m[10m:5s]"),
        Arguments.of("(foo + bar)[5m:]", "(foo + bar)[5m:]"),
        Arguments.of("-foo offset 5m", "-foo offset 5m"),
        Arguments.of("foo @ 1h", "foo @ 3600.000"),
        Arguments.of(
            "sum without(and, by, avg, count, alert)(some_metric) [30m:10s]",
            "sum without (and, by, avg, count, alert) (some_metric)[30m:10s]"),
        Arguments.of(
            "min_over_time(rate(foo{bar=\"baz\"}[2s])[5m:] @ -160377509)[4m:3s]",
            "min_over_time(rate(foo{bar=\"baz\"}[2s])[5m:] @ -160377509.000)[4m:3s]"),
        Arguments.of("Inf ^ foo", "Inf ^ foo"),
        // binary matching
        Arguments.of("a + on(b) group_left(c) d", "a + on (b) group_left (c) d"),
        Arguments.of("a + on(b) group_left d", "a + on (b) group_left () d"),
        Arguments.of("a * ignoring(b, c) group_right d", "a * ignoring (b, c) group_right () d"),
        Arguments.of("a + ignoring() b", "a + b"),
        Arguments.of("a and on() b", "a and on () b"),
        Arguments.of("a or b unless c", "a or b unless c"),
        Arguments.of("a == bool on(x) b", "a == bool on (x) b"),
        Arguments.of("foo > 1", "foo > 1"),
        Arguments.of("1 == bool 1", "1 == bool 1"),
        Arguments.of("a + on(\"my.label\") b", "a + on (\"my.label\") b"),
        // aggregations and calls
        Arguments.of("sum(foo)", "sum(foo)"),
        Arguments.of("SUM(foo) BY (job)", "sum by (job) (foo)"),
        Arguments.of("sum by (job) (rate(x[5m]))", "sum by (job) (rate(x[5m]))"),
        Arguments.of("sum without (a, b) (x)", "sum without (a, b) (x)"),
        Arguments.of("sum without () (x)", "sum without () (x)"),
        Arguments.of("sum by () (x)", "sum(x)"),
        Arguments.of("sum(x) without (instance,)", "sum without (instance) (x)"),
        Arguments.of(
            "sum by (and, by, on, sum, offset) (x)", "sum by (and, by, on, sum, offset) (x)"),
        Arguments.of("sum by (\"a.b\") (x)", "sum by (\"a.b\") (x)"),
        Arguments.of("topk(5, x)", "topk(5, x)"),
        Arguments.of("quantile without(point)(0.8, data)", "quantile without (point) (0.8, data)"),
        Arguments.of("count_values(((\"version\")), v)", "count_values(((\"version\")), v)"),
        Arguments.of("limitk(2, x)", "limitk(2, x)"),
        Arguments.of("rate(foo[5m])", "rate(foo[5m])"),
        Arguments.of(
            "label_join(x, \"a\", \",\", \"b\", \"c\", \"d\")",
            "label_join(x, \"a\", \",\", \"b\", \"c\", \"d\")"),
        Arguments.of("round(x)", "round(x)"),
        Arguments.of("round(x, 5)", "round(x, 5)"),
        Arguments.of("time()", "time()"),
        Arguments.of("vector(end())", "vector(end())"),
        Arguments.of("(end() + start()) / 2", "(end() + start()) / 2"),
        Arguments.of("step() * range()", "step() * range()"),
        Arguments.of("info(up, {job=~\".+\"})", "info(up, {job=~\".+\"})"),
        Arguments.of(
            "histogram_quantile(0.9, sum by (le) (rate(x_bucket[5m])))",
            "histogram_quantile(0.9, sum by (le) (rate(x_bucket[5m])))"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("printed")
  void printsBack(String query, String expected) {
    Expr e = PromqlParser.parse(query);
    if (expected != null) {
      assertThat(e.toString()).isEqualTo(expected);
    }
    Expr again = PromqlParser.parse(e.toString());
    assertThat(Exprs.normalized(again)).isEqualTo(Exprs.normalized(e));
    assertThat(again.toString()).isEqualTo(e.toString());
  }

  private static VectorSelector vs(String name, Matcher... extra) {
    List<Matcher> ms = new java.util.ArrayList<>(List.of(extra));
    if (name != null) {
      ms.add(Matcher.equal("__name__", name));
    }
    return new VectorSelector(name, ms, 0, null, -1);
  }

  private static NumberLiteral num(double v) {
    return new NumberLiteral(v, -1);
  }

  private static void assertTree(String query, Expr expected) {
    assertThat(Exprs.withoutPositions(PromqlParser.parse(query))).isEqualTo(expected);
  }

  @Test
  void signBindsTighterThanBinaryOperatorsButPower() {
    assertTree(
        "-1^2",
        new UnaryExpr(true, new BinaryExpr(BinaryOp.POW, num(1), num(2), null, false, -1), -1));
    assertTree("-1*2", new BinaryExpr(BinaryOp.MUL, num(-1), num(2), null, false, -1));
    assertTree(
        "-a * b",
        new BinaryExpr(
            BinaryOp.MUL,
            new UnaryExpr(true, vs("a"), -1),
            vs("b"),
            new VectorMatching(Cardinality.ONE_TO_ONE, List.of(), false, List.of()),
            false,
            -1));
    assertTree(
        "2 ^ 3 ^ 2",
        new BinaryExpr(
            BinaryOp.POW,
            num(2),
            new BinaryExpr(BinaryOp.POW, num(3), num(2), null, false, -1),
            null,
            false,
            -1));
  }

  @Test
  void setOperatorsMatchManyToManyAndScalarsHaveNoMatching() {
    BinaryExpr and = (BinaryExpr) PromqlParser.parse("a and on(x) b");
    assertThat(and.matching())
        .isEqualTo(new VectorMatching(Cardinality.MANY_TO_MANY, List.of("x"), true, List.of()));
    BinaryExpr plus = (BinaryExpr) PromqlParser.parse("a + ignoring(x) group_right(y) b");
    assertThat(plus.matching())
        .isEqualTo(new VectorMatching(Cardinality.ONE_TO_MANY, List.of("x"), false, List.of("y")));
    assertThat(((BinaryExpr) PromqlParser.parse("a * 2")).matching()).isNull();
    assertThat(((BinaryExpr) PromqlParser.parse("a * b")).matching())
        .isEqualTo(new VectorMatching(Cardinality.ONE_TO_ONE, List.of(), false, List.of()));
  }

  @Test
  void selectorsKeepMatchersInOrderWithTheNameLast() {
    assertTree(
        "foo{b=\"1\", a=~\"x\"}", vs("foo", Matcher.equal("b", "1"), Matcher.regex("a", "x")));
    assertTree(
        "{\"my.metric\"}",
        new VectorSelector(null, List.of(Matcher.equal("__name__", "my.metric")), 0, null, -1));
  }

  @Test
  void modifiersLandOnTheSelector() {
    MatrixSelector m = (MatrixSelector) PromqlParser.parse("foo[5m] offset -1m @ 1.5");
    assertThat(m.rangeMillis()).isEqualTo(300_000);
    assertThat(m.selector().offsetMillis()).isEqualTo(-60_000);
    assertThat(m.selector().at()).isEqualTo(At.time(1500));
    SubqueryExpr s = (SubqueryExpr) PromqlParser.parse("foo[10m:6s] @ start() offset 1s");
    assertThat(s.stepMillis()).isEqualTo(6000);
    assertThat(s.at()).isEqualTo(At.START);
    assertThat(s.offsetMillis()).isEqualTo(1000);
    VectorSelector v = (VectorSelector) PromqlParser.parse("foo offset 1.5");
    assertThat(v.offsetMillis()).isEqualTo(1500);
  }

  @Test
  void positionsAreTheFirstCharacterOfEachNode() {
    BinaryExpr b = (BinaryExpr) PromqlParser.parse(" sum by (a) (rate(x[5m])) + -foo");
    assertThat(b.pos()).isEqualTo(1);
    AggregateExpr a = (AggregateExpr) b.lhs();
    assertThat(a.pos()).isEqualTo(1);
    Call rate = (Call) a.expr();
    assertThat(rate.pos()).isEqualTo(13);
    MatrixSelector m = (MatrixSelector) rate.args().get(0);
    assertThat(m.pos()).isEqualTo(18);
    assertThat(m.selector().pos()).isEqualTo(18);
    UnaryExpr u = (UnaryExpr) b.rhs();
    assertThat(u.pos()).isEqualTo(28);
    assertThat(u.expr().pos()).isEqualTo(29);
    assertThat(PromqlParser.parse("  -1").pos()).isEqualTo(2);
    assertThat(((BinaryExpr) PromqlParser.parse("x * (y)")).rhs().pos()).isEqualTo(4);
  }

  @Test
  void experimentalOnesAreRefusedWithoutTheFlag() {
    assertThat(PromqlParser.parse("sort_by_label(x, \"a\")", true)).isInstanceOf(Call.class);
    assertThat(PromqlParser.parse("limitk(1, x)", true)).isInstanceOf(AggregateExpr.class);
  }
}
