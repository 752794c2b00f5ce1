package io.meridian.promql.parser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Invalid queries and Prometheus's message for each, position included. */
class PromqlParserErrorsTest {

  static Stream<Arguments> errors() {
    return Stream.of(
        // empty input, lexer errors
        Arguments.of("", "unknown position: parse error: no expression found in input"),
        Arguments.of("# just a comment\n\n", "1:1: parse error: no expression found in input"),
        Arguments.of(".", "1:1: parse error: unexpected character: '.'"),
        Arguments.of("2.5.", "1:1: parse error: bad number or duration syntax: \"2.5.\""),
        Arguments.of("100..4", "1:1: parse error: bad number or duration syntax: \"100..\""),
        Arguments.of("0deadbeef", "1:1: parse error: bad number or duration syntax: \"0de\""),
        Arguments.of("(1))", "1:5: parse error: unexpected right parenthesis ')'"),
        Arguments.of("((1)", "1:5: parse error: unclosed left parenthesis"),
        Arguments.of("(", "1:2: parse error: unclosed left parenthesis"),
        Arguments.of("sum(rate(x[5m])", "1:16: parse error: unclosed left parenthesis"),
        Arguments.of("]", "1:1: parse error: unexpected right bracket ']'"),
        Arguments.of("foo[5m", "1:7: parse error: unclosed left bracket"),
        Arguments.of("foo ; bar", "1:5: parse error: unexpected character: ';'"),
        Arguments.of("1 !~ 1", "1:3: parse error: unexpected character after '!': '~'"),
        Arguments.of("1 =~ 1", "1:3: parse error: unexpected character after '=': '~'"),
        Arguments.of(
            "1e400",
            "1:1: parse error: error parsing number: strconv.ParseFloat: parsing \"1e400\": value"
                + " out of range"),
        Arguments.of("\"abc", "1:1: parse error: unterminated quoted string"),
        Arguments.of("'a\nb'", "1:1: parse error: unterminated quoted string"),
        Arguments.of("`abc", "1:1: parse error: unterminated raw string"),
        Arguments.of("\"\\", "1:1: parse error: escape sequence not terminated"),
        Arguments.of("x{a=\"\\c\"}", "1:5: parse error: unknown escape sequence U+0063 'c'"),
        Arguments.of(
            "\"\\x.\"", "1:1: parse error: illegal character U+002E '.' in escape sequence"),
        Arguments.of("'\\\"'", "1:1: parse error: unknown escape sequence U+0022 '\"'"),
        Arguments.of(
            "\"\\ud800\"", "1:1: parse error: escape sequence is an invalid Unicode code point"),
        // unexpected tokens
        Arguments.of("1+", "1:3: parse error: unexpected end of input"),
        Arguments.of("1 /", "1:4: parse error: unexpected end of input"),
        Arguments.of("*1", "1:1: parse error: unexpected <op:*>"),
        Arguments.of("@@", "1:1: parse error: unexpected <op:@>"),
        Arguments.of("on", "1:1: parse error: unexpected <on>"),
        Arguments.of("foo bar", "1:5: parse error: unexpected identifier \"bar\""),
        Arguments.of("foo +\n  bar baz", "2:7: parse error: unexpected identifier \"baz\""),
        Arguments.of("foo 1", "1:5: parse error: unexpected number \"1\""),
        Arguments.of(
            "foo \"a very long string\"",
            "1:5: parse error: unexpected string \"\\\"a very lo\"..."),
        Arguments.of("a - on(b) ignoring(c) d", "1:11: parse error: unexpected <ignoring>"),
        Arguments.of("foo{a=\"b\"}}", "1:11: parse error: unexpected character: '}'"),
        // selectors
        Arguments.of(
            "{}", "1:1: parse error: vector selector must contain at least one non-empty matcher"),
        Arguments.of(
            "{x=\"\"}",
            "1:1: parse error: vector selector must contain at least one non-empty matcher"),
        Arguments.of(
            " {x=~\".*\"}",
            "1:2: parse error: vector selector must contain at least one non-empty matcher"),
        Arguments.of(
            "{x!~\".+\"}",
            "1:1: parse error: vector selector must contain at least one non-empty matcher"),
        Arguments.of(
            "foo{__name__=\"bar\"}",
            "1:1: parse error: metric name must not be set twice: \"foo\" or \"bar\""),
        Arguments.of(
            "foo{\"bar\"}",
            "1:1: parse error: metric name must not be set twice: \"foo\" or \"bar\""),
        Arguments.of(
            "foo{a=\"b\" c=\"d\"}",
            "1:11: parse error: unexpected identifier \"c\" in label matching, expected \",\" or \"}\""),
        Arguments.of(
            "foo{a}",
            "1:6: parse error: unexpected \"}\" in label matching, expected label matching operator"),
        Arguments.of(
            "foo{a=}", "1:7: parse error: unexpected \"}\" in label matching, expected string"),
        Arguments.of(
            "foo{,}",
            "1:5: parse error: unexpected \",\" in label matching, expected identifier or \"}\""),
        Arguments.of("foo{a=\"b\"", "1:10: parse error: unexpected end of input inside braces"),
        Arguments.of("foo{a%=\"b\"}", "1:6: parse error: unexpected character inside braces: '%'"),
        Arguments.of(
            "foo{a!\"b\"}", "1:6: parse error: unexpected character after '!' inside braces: '\"'"),
        Arguments.of("foo{a=\"b\"{", "1:10: parse error: unexpected left brace '{'"),
        // ranges, subqueries, offset, @
        Arguments.of(
            "test[5d] OFFSET 10s [10m:5s]",
            "1:1: parse error: subquery is only allowed on instant vector, got matrix instead"),
        Arguments.of(
            "(foo + bar{nm=\"val\"})[5m:][10m:5s]",
            "1:1: parse error: subquery is only allowed on instant vector, got matrix instead"),
        Arguments.of(
            "rate(food[1m])[1h] offset 1h",
            "1:15: parse error: ranges only allowed for vector selectors"),
        Arguments.of("foo[5m][1m]", "1:8: parse error: ranges only allowed for vector selectors"),
        Arguments.of(
            "foo offset 5m[1m]", "1:14: parse error: no offset modifiers allowed before range"),
        Arguments.of("foo @ 1 [1m]", "1:9: parse error: no @ modifiers allowed before range"),
        Arguments.of("foo[1.5h]", "1:5: parse error: not a valid duration string: \"1.5h\""),
        Arguments.of("foo[5x]", "1:5: parse error: bad number or duration syntax: \"5\""),
        Arguments.of(
            "foo[5m 1m]",
            "1:8: parse error: unexpected duration \"1m\" in subquery or range, expected \":\" or"
                + " \"]\""),
        Arguments.of("foo[5m:1m:]", "1:10: parse error: unexpected colon ':'"),
        Arguments.of(
            "1 offset 1d",
            "1:1: parse error: offset modifier must be preceded by an instant vector selector or"
                + " range vector selector or a subquery"),
        Arguments.of(
            "sum(x) offset 1d",
            "1:1: parse error: offset modifier must be preceded by an instant vector selector or"
                + " range vector selector or a subquery"),
        Arguments.of(
            "foo offset 1s offset 2s", "1:1: parse error: offset may not be set multiple times"),
        Arguments.of(
            "foo offset",
            "1:11: parse error: unexpected end of input in offset, expected number or duration"),
        Arguments.of(
            "foo offset +1m",
            "1:12: parse error: unexpected <op:+> in offset, expected number or duration"),
        Arguments.of(
            "foo @ bar",
            "1:7: parse error: unexpected identifier \"bar\" in @, expected timestamp"),
        Arguments.of(
            "foo @ start() @ end()",
            "1:1: parse error: @ <timestamp> may not be set multiple times"),
        Arguments.of(
            "(foo) @ 1",
            "1:1: parse error: @ modifier must be preceded by an instant vector selector or range"
                + " vector selector or a subquery"),
        Arguments.of("foo @ Inf", "1:1: parse error: timestamp out of bounds for @ modifier: +Inf"),
        // operators
        Arguments.of(
            "1 and 1",
            "1:1: parse error: set operator \"and\" not allowed in binary scalar expression"),
        Arguments.of(
            "foo or 1",
            "1:1: parse error: set operator \"or\" not allowed in binary scalar expression"),
        Arguments.of(
            "1 == 1", "1:3: parse error: comparisons between scalars must use BOOL modifier"),
        Arguments.of(
            "foo + bool bar",
            "1:5: parse error: bool modifier can only be used on comparison operators"),
        Arguments.of(
            "foo * on(a) group_left(a) bar",
            "1:5: parse error: label \"a\" must not occur in ON and GROUP clause at once"),
        Arguments.of(
            "foo and on(a) group_left bar",
            "1:1: parse error: no grouping allowed for \"and\" operation"),
        Arguments.of(
            "1 + on(a) foo",
            "1:1: parse error: vector matching only allowed between instant vectors"),
        Arguments.of(
            "foo[5m] + 1",
            "1:1: parse error: binary expression must contain only scalar and instant vector types"),
        Arguments.of(
            "1 - \"a\"",
            "1:5: parse error: binary expression must contain only scalar and instant vector types"),
        Arguments.of(
            "-\"string\"",
            "1:1: parse error: unary expression only allowed on expressions of type scalar or instant"
                + " vector, got \"string\""),
        Arguments.of(
            "-test[5m]",
            "1:1: parse error: unary expression only allowed on expressions of type scalar or instant"
                + " vector, got \"range vector\""),
        Arguments.of("foo * group_left bar", "1:7: parse error: unexpected <group_left>"),
        Arguments.of(
            "foo * on bar",
            "1:10: parse error: unexpected identifier \"bar\" in grouping opts, expected \"(\""),
        // functions
        Arguments.of("foo(bar)", "1:1: parse error: unknown function with name \"foo\""),
        Arguments.of(
            "abs(1, 2)", "1:1: parse error: expected 1 argument(s) in call to \"abs\", got 2"),
        Arguments.of(
            "time(1)", "1:1: parse error: expected 0 argument(s) in call to \"time\", got 1"),
        Arguments.of(
            "rate(foo)",
            "1:6: parse error: expected type range vector in call to function \"rate\", got instant"
                + " vector"),
        Arguments.of(
            "abs(foo[5m])",
            "1:5: parse error: expected type instant vector in call to function \"abs\", got range"
                + " vector"),
        Arguments.of(
            "round()",
            "1:1: parse error: expected at least 1 argument(s) in call to \"round\", got 0"),
        Arguments.of(
            "round(a, 1, 2)",
            "1:1: parse error: expected at most 2 argument(s) in call to \"round\", got 3"),
        Arguments.of(
            "label_join(a)",
            "1:1: parse error: expected at least 3 argument(s) in call to \"label_join\", got 1"),
        Arguments.of(
            "label_join(a, \"b\", \",\", 1)",
            "1:25: parse error: expected type string in call to function \"label_join\", got scalar"),
        Arguments.of(
            "rate(foo[5m],)",
            "1:13: parse error: trailing commas not allowed in function call args"),
        Arguments.of(
            "info(up, foo)",
            "1:10: parse error: expected label selectors only, got vector selector instead"),
        // aggregations
        Arguments.of("sum()", "1:1: parse error: no arguments for aggregate expression provided"),
        Arguments.of(
            "topk(x)",
            "1:1: parse error: wrong number of arguments for aggregate expression provided, expected"
                + " 2, got 1"),
        Arguments.of(
            "sum(a, b)",
            "1:1: parse error: wrong number of arguments for aggregate expression provided, expected"
                + " 1, got 2"),
        Arguments.of(
            "sum(foo[5m])",
            "1:5: parse error: expected type instant vector in aggregation expression, got range"
                + " vector"),
        Arguments.of(
            "topk(\"a\", x)",
            "1:6: parse error: expected type scalar in aggregation parameter, got string"),
        Arguments.of(
            "count_values(1, x)",
            "1:14: parse error: expected type string in aggregation parameter, got scalar"),
        Arguments.of(
            "sum by foo (x)",
            "1:8: parse error: unexpected identifier \"foo\" in grouping opts, expected \"(\""),
        Arguments.of(
            "sum by (a b) (x)",
            "1:11: parse error: unexpected identifier \"b\" in grouping opts, expected \",\" or \")\""),
        Arguments.of(
            "sum by (1) (x)",
            "1:9: parse error: unexpected number \"1\" in grouping opts, expected label"),
        Arguments.of(
            "sum(foo bar)", "1:9: parse error: unexpected identifier \"bar\" in aggregation"),
        Arguments.of(
            "sum(rate(foo bar))",
            "1:14: parse error: unexpected identifier \"bar\" in aggregation"),
        Arguments.of("sum by (a)", "1:11: parse error: unexpected end of input in aggregation"),
        Arguments.of(
            "sum some_metric by (test)", "1:5: parse error: unexpected identifier \"some_metric\""),
        Arguments.of("sum(x) by (a) by (b)", "1:15: parse error: unexpected <by>"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("errors")
  void failsWithPrometheusMessage(String query, String message) {
    assertThatThrownBy(() -> PromqlParser.parse(query))
        .isInstanceOf(ParseException.class)
        .hasMessage(message);
  }

  static Stream<Arguments> experimental() {
    return Stream.of(
        Arguments.of(
            "sort_by_label(x, \"a\")",
            "1:1: parse error: function \"sort_by_label\" is not enabled"),
        Arguments.of("x + step()", "1:5: parse error: function \"step\" is not enabled"),
        Arguments.of(
            "limitk(1, x)",
            "1:1: parse error: limitk() is experimental and must be enabled with"
                + " --enable-feature=promql-experimental-functions"),
        Arguments.of(
            "sum(limit_ratio(0.5, x))",
            "1:5: parse error: limit_ratio() is experimental and must be enabled with"
                + " --enable-feature=promql-experimental-functions"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("experimental")
  void experimentalOnesNeedTheFlag(String query, String message) {
    assertThatThrownBy(() -> PromqlParser.parse(query, false))
        .isInstanceOf(ParseException.class)
        .hasMessage(message);
    assertThat(PromqlParser.parse(query, true)).isNotNull();
  }

  @Test
  void badRegexNamesTheMatcher() {
    assertThatThrownBy(() -> PromqlParser.parse("foo{a=~\"(\"}"))
        .isInstanceOf(ParseException.class)
        .hasMessageStartingWith("1:5: parse error: ")
        .hasMessageContaining("(");
  }

  @Test
  void deepNestingIsAnErrorNotAStackOverflow() {
    String parens = "(".repeat(5000) + "1" + ")".repeat(5000);
    assertThatThrownBy(() -> PromqlParser.parse(parens))
        .isInstanceOf(ParseException.class)
        .hasMessageContaining("nested too deeply");
    String chain = "1" + " + 1".repeat(5000);
    assertThatThrownBy(() -> PromqlParser.parse(chain))
        .isInstanceOf(ParseException.class)
        .hasMessageContaining("nested too deeply");
    String signs = "-".repeat(5000) + "1";
    assertThatThrownBy(() -> PromqlParser.parse(signs))
        .isInstanceOf(ParseException.class)
        .hasMessageContaining("nested too deeply");
    String justUnder = "(".repeat(450) + "1" + ")".repeat(450);
    assertThat(PromqlParser.parse(justUnder).toString()).isEqualTo(justUnder);
  }
}
