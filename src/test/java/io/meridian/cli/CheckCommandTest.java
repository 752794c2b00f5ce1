package io.meridian.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CheckCommandTest {
  @TempDir Path dir;

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

  private Path write(String name, String text) throws Exception {
    Path p = dir.resolve(name);
    Files.createDirectories(p.getParent());
    Files.writeString(p, text);
    return p;
  }

  @Test
  void validConfigPrintsPromtoolsSuccessLine() throws Exception {
    Path f = write("prometheus.yml", "scrape_configs:\n  - job_name: a\n");
    Run r = run("check", "config", f.toString());
    assertThat(r.code()).isZero();
    assertThat(r.out())
        .isEqualTo(
            "Checking " + f + "\n SUCCESS: " + f + " is valid prometheus config file syntax\n\n");
    assertThat(r.err()).isEmpty();
  }

  @Test
  void invalidConfigPrintsFailedWithPlaceOnStandardError() throws Exception {
    Path good = write("good.yml", "");
    Path bad = write("bad.yml", "scrape_configs:\n  - job_nme: a\n");
    Run r = run("check", "config", bad.toString(), good.toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out())
        .isEqualTo(
            "Checking "
                + bad
                + "\n\nChecking "
                + good
                + "\n SUCCESS: "
                + good
                + " is valid prometheus config file syntax\n\n");
    assertThat(r.err())
        .isEqualTo(
            "  FAILED: "
                + bad
                + ":2:5: scrape_configs[0].job_nme: field job_nme not found in type"
                + " config.ScrapeConfig\n");
  }

  @Test
  void ruleFilesAreFoundButNotYetChecked() throws Exception {
    write("rules/a.yml", "groups: []\n");
    write("rules/b.yml", "groups: []\n");
    Path f = write("p.yml", "rule_files:\n  - rules/*.yml\n  - none/*.yml\n");
    Run r = run("check", "config", f.toString());
    assertThat(r.code()).isZero();
    Path a = dir.resolve("rules/a.yml");
    Path b = dir.resolve("rules/b.yml");
    assertThat(r.out())
        .isEqualTo(
            "Checking "
                + f
                + "\n  SUCCESS: 2 rule files found\n SUCCESS: "
                + f
                + " is valid prometheus config file syntax\n\nChecking "
                + a
                + "\n  SKIPPED: rules are not checked yet\n\nChecking "
                + b
                + "\n  SKIPPED: rules are not checked yet\n\n");
  }

  @Test
  void missingRuleFileFailsUnlessSyntaxOnly() throws Exception {
    Path f = write("p.yml", "rule_files: [missing.yml]\n");
    Run r = run("check", "config", f.toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err())
        .contains("rule_files[0]: \"" + dir.resolve("missing.yml") + "\" does not point to an")
        .startsWith("  FAILED: " + f + ": ");
    assertThat(run("check", "config", "--syntax-only", f.toString()).code()).isZero();
  }

  @Test
  void fileSdFilesThatDoNotExistAreWarnings() throws Exception {
    Path f =
        write(
            "p.yml",
            "scrape_configs:\n  - job_name: n\n    file_sd_configs:\n      - files: [t.json]\n");
    Run r = run("check", "config", f.toString());
    assertThat(r.code()).isZero();
    assertThat(r.out())
        .contains(
            "  WARNING: file \""
                + dir.resolve("t.json")
                + "\" for file_sd in scrape job \"n\" does not exist\n");
    write("t.json", "[{\"targets\": [\"a:1\"], \"labels\": {\"1x\": \"v\"}}]");
    Run bad = run("check", "config", f.toString());
    assertThat(bad.code()).isEqualTo(1);
    assertThat(bad.err()).contains("checking SD file").contains("\"1x\" is not a valid label name");
  }

  @Test
  void unreadableConfigFails() {
    Path f = dir.resolve("nope.yml");
    Run r = run("check", "config", f.toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).isEqualTo("  FAILED: cannot read " + f + ": no such file\n");
  }
}
