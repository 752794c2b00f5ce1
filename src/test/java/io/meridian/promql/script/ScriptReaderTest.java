package io.meridian.promql.script;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meridian.model.Labels;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScriptReaderTest {

  private static Script read(String text) {
    return ScriptReader.read("t.test", text);
  }

  private static Command.Eval onlyEval(String text) {
    List<Command.Eval> evals = read(text).evals();
    assertThat(evals).hasSize(1);
    return evals.getFirst();
  }

  @Test
  void loadClearAndEvalInOrder() {
    Script s =
        read(
            """
            # a comment
            load 5m
              up{job="a"} 0+10x2
              down 1 _ 3

            clear
            load_with_nhcb 1m
              x_bucket{le="1"} 1

            eval instant at 50m up
              up{job="a"} 20
            """);
    assertThat(s.commands()).hasSize(4);
    Command.Load load = (Command.Load) s.commands().get(0);
    assertThat(load.line()).isEqualTo(2);
    assertThat(load.intervalMillis()).isEqualTo(300_000);
    assertThat(load.withNhcb()).isFalse();
    assertThat(load.series())
        .extracting(SeriesLine::labels)
        .containsExactly(Labels.of("__name__", "up", "job", "a"), Labels.of("__name__", "down"));
    assertThat(load.series().get(0).line()).isEqualTo(3);
    assertThat(s.commands().get(1)).isEqualTo(new Command.Clear(6));
    assertThat(((Command.Load) s.commands().get(2)).withNhcb()).isTrue();
    Command.Eval ev = (Command.Eval) s.commands().get(3);
    assertThat(ev.line()).isEqualTo(10);
    assertThat(ev.query()).isEqualTo("up");
    assertThat(ev.range()).isFalse();
    assertThat(ev.time()).isEqualTo(3_000_000);
    assertThat(ev.step()).isZero();
    assertThat(ev.series()).hasSize(1);
    assertThat(ev.checkedInRangeMode()).isTrue();
  }

  @Test
  void aSeriesWrittenTwiceInOneLoadKeepsItsLastLine() {
    Command.Load load = (Command.Load) read("load 1m\n  a 1\n  b 2\n  a 3\n").commands().getFirst();
    assertThat(load.series())
        .extracting(l -> l.values().getFirst().value())
        .containsExactly(2.0, 3.0);
  }

  @Test
  void startTimestampLinesAreAcceptedAndIgnored() {
    Command.Load load =
        (Command.Load) read("load 1m\n  a@st _ -30s-1mx2\n  a 1 2 3 4\n").commands().getFirst();
    assertThat(load.series()).hasSize(1);
  }

  @Test
  void rangeEval() {
    Command.Eval ev = onlyEval("eval range from 0 to 10m step 90 rate(x[5m])\n  {a=\"b\"} 1 _ 3\n");
    assertThat(ev.range()).isTrue();
    assertThat(ev.start()).isZero();
    assertThat(ev.end()).isEqualTo(600_000);
    assertThat(ev.step()).isEqualTo(90_000);
    assertThat(ev.query()).isEqualTo("rate(x[5m])");
    assertThat(ev.series().getFirst().values()).hasSize(3);
    assertThat(ev.checkedInRangeMode()).isFalse();
  }

  @Test
  void timesTakeDurationsZeroAndPlainSeconds() {
    assertThat(onlyEval("eval instant at 1h30m x").time()).isEqualTo(5_400_000);
    assertThat(onlyEval("eval instant at 0 x").time()).isZero();
    assertThat(onlyEval("eval instant at 20s500ms x").time()).isEqualTo(20_500);
    assertThat(onlyEval("eval instant at 1000 x").time()).isEqualTo(1_000_000);
  }

  @Test
  void expectLines() {
    Command.Eval ev =
        onlyEval(
            """
            eval instant at 1m sum(x)
              expect warn msg: PromQL warning: something (1:5)
              expect info regex: PromQL info: .* \\(1:[0-9]+\\)
              expect ordered
              {} 1
            """);
    assertThat(ev.expects())
        .extracting(Expect::type)
        .containsExactly(Expect.Type.WARN, Expect.Type.INFO, Expect.Type.ORDERED);
    assertThat(ev.expects().get(0).message()).isEqualTo("PromQL warning: something (1:5)");
    assertThat(ev.expects().get(1).matches("PromQL info: x y (1:17)")).isTrue();
    assertThat(ev.expects().get(1).matches("PromQL info: x y (2:17)")).isFalse();
    assertThat(ev.ordered()).isTrue();
    assertThat(onlyEval("eval instant at 0 x\n  expect no_warn\n  expect no_info\n").expects())
        .extracting(Expect::type)
        .containsExactly(Expect.Type.NO_WARN, Expect.Type.NO_INFO);
    Command.Eval fail = onlyEval("eval instant at 0 x\n  expect fail msg:boom\n");
    assertThat(fail.expectsFailure()).isTrue();
    assertThat(fail.expects().getFirst().matches("boom")).isTrue();
    assertThat(fail.expects().getFirst().matches("boom!")).isFalse();
  }

  @Test
  void deprecatedFormsBecomeExpectLines() {
    assertThat(onlyEval("eval_fail instant at 0 x").expectsFailure()).isTrue();
    assertThat(onlyEval("eval_ordered instant at 0 x").ordered()).isTrue();
    assertThat(onlyEval("eval_warn range from 0 to 1m step 1m x").expects())
        .containsExactly(Expect.any(Expect.Type.WARN));
    assertThat(onlyEval("eval_info instant at 0 x").expects())
        .containsExactly(Expect.any(Expect.Type.INFO));
    Expect msg =
        onlyEval("eval_fail instant at 0 x\n  expected_fail_message exact text\n")
            .expects()
            .getFirst();
    assertThat(msg).isEqualTo(new Expect(Expect.Type.FAIL, "exact text", null));
    Expect re =
        onlyEval("eval_fail instant at 0 x\n  expected_fail_regexp ex.ct\n").expects().getFirst();
    assertThat(re.matches("an exact match")).isTrue();
  }

  @Test
  void expectStringAndScalar() {
    assertThat(onlyEval("eval instant at 0 \"a\"\n  expect string \"a\\tb\"\n").string())
        .isEqualTo("a\tb");
    assertThat(onlyEval("eval instant at 0 `a`\n  expect string `x\\y`\n").string())
        .isEqualTo("x\\y");
    assertThat(onlyEval("eval instant at 0 \"\"\n  expect string \"\"\n").string()).isEmpty();
    assertThat(onlyEval("eval instant at 0 1\n  0x10\n").scalar()).isEqualTo(16.0);
    assertThat(onlyEval("eval instant at 0 1\n  -Inf\n").scalar())
        .isEqualTo(Double.NEGATIVE_INFINITY);
    assertThat(onlyEval("eval instant at 0 1\n  NaN\n").scalar()).isNaN();
  }

  @Test
  void aScalarEndsTheEvalBlockAsInPrometheus() {
    assertThatThrownBy(() -> read("eval instant at 0 1\n  1\n  2\n"))
        .hasMessage("t.test:3: invalid command \"2\"");
  }

  @Test
  void expectRangeVectorSetsTheRangeAndRunsAtItsEnd() {
    Command.Eval ev =
        onlyEval(
            """
            eval instant at 1m some_metric[1m]
              expect range vector from 10s to 1m step 10s
              some_metric{env="a"} 2 3 4 5 6
            """);
    assertThat(ev.rangeVector()).isTrue();
    assertThat(ev.start()).isEqualTo(10_000);
    assertThat(ev.time()).isEqualTo(60_000);
    assertThat(ev.step()).isEqualTo(10_000);
    assertThat(ev.checkedInRangeMode()).isFalse();
  }

  @Test
  void commentsAndBlankLinesEndBlocks() {
    assertThatThrownBy(() -> read("load 1m\n  a 1\n# note\n  b 2\n"))
        .hasMessage("t.test:4: invalid command \"b 2\"");
  }

  @Test
  void malformedScriptsNameFileAndLine() {
    assertThatThrownBy(() -> read("\n\nfoo bar\n"))
        .isInstanceOf(ScriptException.class)
        .hasMessage("t.test:3: invalid command \"foo bar\"");
    assertThatThrownBy(() -> read("load\n"))
        .hasMessage("t.test:1: invalid load command. (load[_with_nhcb] <step:duration>)");
    assertThatThrownBy(() -> read("load 5x\n"))
        .hasMessageStartingWith("t.test:1: invalid step definition \"5x\"");
    assertThatThrownBy(() -> read("load 1m\n  a 1\n  b 1 x\n"))
        .hasMessageStartingWith("t.test:3: column 5: invalid series value \"x\"");
    assertThatThrownBy(() -> read("eval instant x\n"))
        .hasMessageStartingWith("t.test:1: invalid evaluation command");
    assertThatThrownBy(() -> read("eval instant at 5q x\n"))
        .hasMessageStartingWith("t.test:1: invalid timestamp definition \"5q\"");
    assertThatThrownBy(() -> read("eval range from 5m to 1m step 1m x\n"))
        .hasMessage(
            "t.test:1: invalid test definition, end timestamp (1m) is before start timestamp (5m)");
    assertThatThrownBy(() -> read("eval instant at 0 x\n  x 1 2\n"))
        .hasMessageStartingWith("t.test:2: expecting multiple values in instant evaluation");
    assertThatThrownBy(() -> read("eval instant at 0 x\n  expect info\n  expect no_info\n"))
        .hasMessage("t.test:3: invalid expect lines, info and no_info cannot be used together");
    assertThatThrownBy(() -> read("eval instant at 0 x\n  expect fail\n  expect fail msg: a\n"))
        .hasMessage("t.test:3: invalid expect lines, multiple expect fail lines are not allowed");
    assertThatThrownBy(() -> read("eval instant at 0 x\n  expect sometimes\n"))
        .hasMessageStartingWith("t.test:2: invalid expect statement");
    assertThatThrownBy(() -> read("eval instant at 0 x\n  expect warn regex: (\n"))
        .hasMessageStartingWith("t.test:2: invalid regex ( for warn");
    assertThatThrownBy(() -> read("eval instant at 0 x\n  expect string Foo\n"))
        .hasMessage(
            "t.test:2: expected string literal not valid - check that the string is correctly"
                + " quoted");
    assertThatThrownBy(() ->
            read("eval range from 0 to 1m step 1m x\n  expect range vector from 0 to 1m step 1m\n"))
        .hasMessage("t.test:2: expect range vector is only for instant queries");
  }
}
