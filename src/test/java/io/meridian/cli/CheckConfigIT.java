package io.meridian.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code meridian check config} and Debian's {@code promtool check config} (2.42) agree on which
 * files are valid. Messages differ (Meridian's name the line and field); where neither names a
 * line, on a valid file without rule files, the output is the same.
 */
class CheckConfigIT {
  private static final Path ROOT = Path.of("src/test/resources/config");

  @TempDir Path dir;

  private record Run(int code, String out, String err) {}

  static Stream<String> validFiles() {
    return Stream.concat(list("agree/valid"), list("examples"));
  }

  static Stream<String> invalidFiles() {
    return list("agree/invalid");
  }

  private static Stream<String> list(String sub) {
    try (Stream<Path> s = Files.list(ROOT.resolve(sub))) {
      return s.map(p -> sub + "/" + p.getFileName()).sorted().toList().stream();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void requirePromtool() {
    assumeTrue(
        Files.isExecutable(Path.of("/usr/bin/promtool")),
        "Debian's promtool is not installed (.ci/run installs the prometheus package)");
  }

  /** The fixture, copied into a fresh directory so that the files it names resolve alike. */
  private Path copy(String name) throws IOException {
    Path to = dir.resolve(Path.of(name).getFileName());
    Files.copy(ROOT.resolve(name), to, StandardCopyOption.REPLACE_EXISTING);
    return to;
  }

  private Run promtool(Path file) throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder("/usr/bin/promtool", "check", "config", file.toString())
            .directory(dir.toFile())
            .start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Run(p.exitValue(), out, err);
  }

  private static Run meridian(Path file) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    var cl = Main.commandLine();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int code = cl.execute("check", "config", file.toString());
    return new Run(code, out.toString(), err.toString());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("validFiles")
  void bothAcceptValidFiles(String name) throws Exception {
    requirePromtool();
    Path f = copy(name);
    Run p = promtool(f);
    Run m = meridian(f);
    assertThat(p.code()).as("promtool on %s: %s", name, p.err()).isZero();
    assertThat(m.code()).as("meridian on %s: %s", name, m.err()).isZero();
    if (!Files.readString(f).contains("rule_files:\n  -")) {
      assertThat(m.out()).as("output on %s", name).isEqualTo(p.out());
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidFiles")
  void bothRejectInvalidFiles(String name) throws Exception {
    requirePromtool();
    Path f = copy(name);
    Run p = promtool(f);
    Run m = meridian(f);
    assertThat(p.code()).as("promtool on %s: %s", name, p.out()).isEqualTo(1);
    assertThat(m.code()).as("meridian on %s: %s", name, m.out()).isEqualTo(1);
    assertThat(m.err()).as("meridian on %s", name).startsWith("  FAILED: " + f);
    assertThat(m.out()).isEqualTo(p.out());
  }
}
