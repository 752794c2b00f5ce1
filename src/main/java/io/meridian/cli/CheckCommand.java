package io.meridian.cli;

import io.meridian.config.ConfigChecks;
import io.meridian.config.ConfigException;
import io.meridian.config.ConfigLoader;
import io.meridian.config.PrometheusConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code meridian check ...}: checks of config files, as promtool's. */
@Command(
    name = "check",
    description = "Check config files, as promtool check does.",
    subcommands = {CheckCommand.Config.class})
final class CheckCommand {

  /**
   * {@code meridian check config FILE...}: reads each file as Prometheus would and prints what
   * {@code promtool check config} prints.
   */
  @Command(
      name = "config",
      description = {
        "Check Prometheus configuration files: syntax, fields and values, and that the rule,"
            + " credential, certificate and file_sd files they name exist.",
        "Prints 'Checking FILE', then ' SUCCESS: FILE is valid prometheus config file syntax'"
            + " or '  FAILED: FILE:LINE:COLUMN: FIELD: problem' (on standard error).",
        "Rule files are found but their rules are not checked yet.",
        "Exit code: 0 when every file is valid, 1 otherwise."
      })
  static final class Config implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(
        names = "--syntax-only",
        description = "Check only the config files, not the files they refer to.")
    boolean syntaxOnly;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Config files.")
    List<Path> files;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      boolean failed = false;
      for (Path f : files) {
        out.println("Checking " + f);
        out.flush();
        List<Path> ruleFiles;
        try {
          PrometheusConfig config = ConfigLoader.load(f);
          ruleFiles = List.of();
          if (!syntaxOnly) {
            ConfigChecks.Result r = ConfigChecks.check(config, f.toString());
            for (String w : r.warnings()) {
              out.println("  WARNING: " + w);
            }
            ruleFiles = r.ruleFiles();
            if (!ruleFiles.isEmpty()) {
              out.println("  SUCCESS: " + ruleFiles.size() + " rule files found");
            }
          }
          out.println(" SUCCESS: " + f + " is valid prometheus config file syntax");
        } catch (ConfigException e) {
          failed = fail(out, err, e.getMessage());
          continue;
        } catch (IOException e) {
          failed = fail(out, err, "cannot read " + f + ": " + reason(e));
          continue;
        }
        out.println();
        for (Path rf : ruleFiles) {
          out.println("Checking " + rf);
          if (Files.isReadable(rf)) {
            out.println("  SKIPPED: rules are not checked yet");
          } else {
            out.flush();
            err.println("  FAILED: cannot read " + rf);
            err.flush();
            failed = true;
          }
          out.println();
        }
        out.flush();
      }
      return failed ? 1 : 0;
    }

    private static boolean fail(PrintWriter out, PrintWriter err, String message) {
      err.println("  FAILED: " + message);
      err.flush();
      out.println();
      out.flush();
      return true;
    }

    private static String reason(IOException e) {
      return switch (e) {
        case NoSuchFileException n -> "no such file";
        case AccessDeniedException a -> "permission denied";
        default -> e.getMessage() != null ? e.getMessage() : e.toString();
      };
    }
  }
}
