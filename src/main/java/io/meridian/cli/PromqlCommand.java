package io.meridian.cli;

import io.meridian.promql.Engine;
import io.meridian.promql.script.EvalOutcome;
import io.meridian.promql.script.FileResult;
import io.meridian.promql.script.QueryRunner;
import io.meridian.promql.script.Script;
import io.meridian.promql.script.ScriptException;
import io.meridian.promql.script.ScriptReader;
import io.meridian.promql.script.ScriptRunner;
import io.meridian.tsdb.head.Head;
import io.meridian.tsdb.head.HeadOptions;
import io.meridian.tsdb.head.Journal;
import io.meridian.util.Clock;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code meridian promql ...}: PromQL tools. */
@Command(
    name = "promql",
    description = "PromQL tools: run Prometheus's PromQL test scripts.",
    subcommands = {PromqlCommand.Test.class})
final class PromqlCommand {

  /**
   * {@code meridian promql test FILE...}: runs test scripts in Prometheus's promqltest language,
   * each against a fresh in-memory head.
   */
  @Command(
      name = "test",
      description = {
        "Run PromQL test scripts (Prometheus's promqltest language), each against a fresh"
            + " in-memory store.",
        "Prints each failed eval and a summary per file, then 'N passed, N failed, N skipped'."
            + " Evals that need native histograms are skipped.",
        "Exit code: 0 when nothing failed, 1 when an eval or load failed, 2 when a file cannot be"
            + " read."
      })
  static final class Test implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Test scripts.")
    List<Path> files;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      ScriptRunner runner =
          ScriptRunner.of(
              Test::newHead,
              QueryRunner.of(new Engine(ScriptRunner.engineOptions(), Clock.system())));
      long passed = 0;
      long failed = 0;
      long skipped = 0;
      boolean unreadable = false;
      boolean loadFailed = false;
      for (Path f : files) {
        Script script;
        try {
          script = ScriptReader.read(f.toString(), Files.readString(f));
        } catch (CharacterCodingException e) {
          unreadable = unreadable(err, f + ": not UTF-8 text");
          continue;
        } catch (IOException e) {
          unreadable = unreadable(err, "cannot read " + f + ": " + reason(e));
          continue;
        } catch (ScriptException e) {
          unreadable = unreadable(err, e.getMessage());
          continue;
        }
        FileResult r = runner.run(script);
        for (String e : r.loadErrors()) {
          out.println("LOAD FAILED " + e);
        }
        for (EvalOutcome o : r.outcomes()) {
          if (o.status() == EvalOutcome.Status.FAILED) {
            out.println("FAILED " + f + ":" + o.eval().line() + ": " + o.eval().query());
            out.println("  " + o.message().replace("\n", "\n  "));
          }
        }
        out.println(f + ": " + r.summary());
        out.flush();
        passed += r.passed();
        failed += r.failed();
        skipped += r.skipped();
        loadFailed |= !r.loadErrors().isEmpty();
      }
      out.println(passed + " passed, " + failed + " failed, " + skipped + " skipped");
      out.flush();
      if (unreadable) {
        return 2;
      }
      return failed > 0 || loadFailed ? 1 : 0;
    }

    private static boolean unreadable(PrintWriter err, String message) {
      err.println("meridian: promql test: " + message);
      err.flush();
      return true;
    }

    private static String reason(IOException e) {
      return switch (e) {
        case java.nio.file.NoSuchFileException n -> "no such file";
        case java.nio.file.AccessDeniedException a -> "permission denied";
        default -> e.getMessage() != null ? e.getMessage() : e.toString();
      };
    }

    /** An in-memory head that takes the samples of a script's loads in any order of time. */
    static Head newHead() {
      return new Head(
          new HeadOptions(HeadOptions.DEFAULT_CHUNK_RANGE, 120, 0, false, 0), Journal.NONE);
    }
  }
}
