package io.meridian.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class PromqlCommandTest {
  @TempDir Path dir;

  private record Run(int code, String out, String err) {
    List<String> lines() {
      return out.lines().toList();
    }
  }

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = Main.commandLine();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int code = cl.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  private Path script(String name, String text) throws IOException {
    return Files.writeString(dir.resolve(name), text);
  }

  @Test
  void malformedScriptIsExitCodeTwoWithFileAndLine() throws IOException {
    Path bad = script("bad.test", "load 1m\n  up 1 2 3\n\nfrobnicate now\n");
    Run r = run("promql", "test", bad.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err())
        .isEqualTo("meridian: promql test: " + bad + ":4: invalid command \"frobnicate now\"\n");
    assertThat(r.lines()).containsExactly("0 passed, 0 failed, 0 skipped");
  }

  @Test
  void badSeriesValueNamesTheLine() throws IOException {
    Path bad = script("values.test", "load 1m\n  up 1 2 three\n");
    Run r = run("promql", "test", bad.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err())
        .startsWith("meridian: promql test: " + bad + ":2: ")
        .contains("invalid series value \"three\"");
  }

  @Test
  void missingFileIsExitCodeTwoAndOtherFilesStillRun() throws IOException {
    Path ok = script("ok.test", "eval instant at 0 foo{\n  expect fail\n");
    Run r = run("promql", "test", dir.resolve("nope.test").toString(), ok.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err())
        .isEqualTo(
            "meridian: promql test: cannot read " + dir.resolve("nope.test") + ": no such file\n");
    assertThat(r.lines())
        .containsExactly(ok + ": 1 passed, 0 failed, 0 skipped", "1 passed, 0 failed, 0 skipped");
  }

  /** Holds with the engine stub and with the real engine: the counts do not depend on it. */
  @Test
  void failuresAreListedAndEvalsCountedPerFileAndInTotal() throws IOException {
    Path a =
        script(
            "a.test",
            """
            load 1m
              plain{job="a"} 1 2 3
              hist{job="a"} {{schema:0 sum:1 count:1}} 2

            # skipped: the expected result has a native histogram
            eval instant at 1m plain
              plain{job="a"} {{schema:0 sum:1 count:1}}

            # skipped: the selector touches a series loaded with a native histogram
            eval instant at 1m {job="a"}
              plain{job="a"} 2

            # fails whatever the engine: vector(1) is not 2
            eval instant at 0 vector(1)
              {} 2

            # passes whatever the engine: the query does not parse
            eval instant at 0 foo{
              expect fail
            """);
    Path b = script("b.test", "eval instant at 0 bar{\n  expect fail\n");
    Run r = run("promql", "test", a.toString(), b.toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).isEmpty();
    List<String> lines = r.lines();
    assertThat(lines.getFirst()).isEqualTo("FAILED " + a + ":14: vector(1)");
    assertThat(lines.get(1)).startsWith("  ");
    assertThat(lines)
        .contains(a + ": 1 passed, 1 failed, 2 skipped", b + ": 1 passed, 0 failed, 0 skipped");
    assertThat(lines.getLast()).isEqualTo("2 passed, 1 failed, 2 skipped");
  }

  @Test
  void needsAtLeastOneFile() {
    Run r = run("promql", "test");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("Missing required parameter: 'FILE'");
  }

  @Test
  void passingScriptIsExitCodeZero() throws IOException {
    Path ok =
        script(
            "ok.test",
            """
            load 1m
              http_requests_total{job="api"} 0+10x10
              http_requests_total{job="web"} 1 _ stale 4

            eval instant at 5m http_requests_total
              http_requests_total{job="api"} 50
              http_requests_total{job="web"} 4

            eval range from 0 to 3m step 1m http_requests_total{job="web"}
              http_requests_total{job="web"} 1 1 _ 4

            eval instant at 2m sum(http_requests_total)
              {} 20

            eval instant at 0 scalar(http_requests_total{job="api"}) + 1
              1

            clear

            eval instant at 1m http_requests_total
            """);
    Run r = run("promql", "test", ok.toString());
    assertThat(r.err()).isEmpty();
    assertThat(r.lines())
        .containsExactly(ok + ": 5 passed, 0 failed, 0 skipped", "5 passed, 0 failed, 0 skipped");
    assertThat(r.code()).isZero();
  }
}
