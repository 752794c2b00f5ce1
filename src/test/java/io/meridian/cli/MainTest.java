package io.meridian.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.testing.Golden;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class MainTest {

  private record Run(int code, String out, String err) {}

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = Main.commandLine();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int code = cl.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void helpListsOnlyCommandsThatWork() {
    Run r = run("--help");
    assertThat(r.code()).isZero();
    Golden.assertMatches("cli/help.txt", r.out());
    assertThat(run().out()).as("no arguments prints the same").isEqualTo(r.out());
  }

  @Test
  void versionNamesVersionRevisionAndJava() {
    Run r = run("version");
    assertThat(r.code()).isZero();
    String firstLine = r.out().lines().findFirst().orElseThrow();
    assertThat(firstLine).matches("meridian, version \\S+ \\(revision: \\S+.*\\)");
    assertThat(r.out())
        .contains("java version: " + Runtime.version())
        .contains("platform:     linux/");
    assertThat(run("--version").out()).isEqualTo(r.out());
  }

  @Test
  void unknownCommandIsAUsageError() {
    Run r = run("frobnicate");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("Unmatched argument at index 0: 'frobnicate'");
  }
}
