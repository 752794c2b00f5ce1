package io.meridian.promql.script;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.abort;

import io.meridian.promql.Engine;
import io.meridian.tsdb.head.Head;
import io.meridian.tsdb.head.HeadOptions;
import io.meridian.tsdb.head.Journal;
import io.meridian.util.Clock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestReporter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Prometheus's PromQL test scripts (the shared corpus) against the engine over a real head, one
 * dynamic test per eval, named {@code file:line query}.
 *
 * <p>Core files must pass: a failed eval fails the build, a skipped one (native histograms) is
 * reported as aborted. Experimental files and native_histograms are reported only: their failures
 * show as aborted tests and every file gets a summary line in the log and in {@code
 * target/promql-conformance.txt}, followed by every failed or skipped eval and why.
 *
 * <p>Run alone: {@code ./dev test -Dtest=ConformanceTest -Dsurefire.failIfNoSpecifiedTests=false
 * -Dit.test=NONE}.
 */
class ConformanceTest {
  private static final Logger log = LoggerFactory.getLogger(ConformanceTest.class);

  static final Set<String> CORE =
      Set.of(
          "aggregators",
          "collision",
          "functions",
          "histograms",
          "literals",
          "name_label_dropping",
          "operators",
          "range_queries",
          "selectors",
          "staleness",
          "trig_functions");

  @TestFactory
  Stream<DynamicNode> corpus(TestReporter reporter) throws IOException {
    ScriptRunner runner =
        ScriptRunner.of(
            ConformanceTest::newHead,
            QueryRunner.of(new Engine(ScriptRunner.engineOptions(), Clock.system())));
    List<DynamicNode> files = new ArrayList<>();
    List<String> summary = new ArrayList<>();
    List<String> details = new ArrayList<>();
    for (Path f : CorpusReadTest.corpusFiles()) {
      String name = f.getFileName().toString();
      boolean core = CORE.contains(name.substring(0, name.length() - ".test".length()));
      FileResult result = runner.run(ScriptReader.read(name, Files.readString(f)));
      String line =
          String.format(
              "%-26s %-12s %s%s",
              name,
              core ? "core" : "reported",
              result.summary(),
              result.loadErrors().isEmpty()
                  ? ""
                  : ", " + result.loadErrors().size() + " load errors");
      summary.add(line);
      log.warn("conformance: {}", line);
      reporter.publishEntry(name, result.summary());
      details.addAll(result.loadErrors());
      for (EvalOutcome o : result.outcomes()) {
        if (o.status() != EvalOutcome.Status.PASSED) {
          details.add(
              name
                  + ":"
                  + o.eval().line()
                  + ": "
                  + o.status()
                  + ": "
                  + o.eval().query()
                  + "\n    "
                  + o.message().replace("\n", "\n    "));
        }
      }
      files.add(DynamicContainer.dynamicContainer(name, tests(result, core)));
    }
    summary.add("");
    summary.addAll(details);
    Files.write(Path.of("target/promql-conformance.txt"), summary);
    return files.stream();
  }

  /**
   * An in-memory head that takes samples in any order of series, as scripts load them (a later
   * {@code load} may write times before an earlier one's).
   */
  static Head newHead() {
    return new Head(
        new HeadOptions(HeadOptions.DEFAULT_CHUNK_RANGE, 120, 0, false, 0), Journal.NONE);
  }

  private static Stream<DynamicTest> tests(FileResult result, boolean core) {
    Stream<DynamicTest> loads =
        result.loadErrors().isEmpty()
            ? Stream.empty()
            : Stream.of(
                DynamicTest.dynamicTest(
                    result.name() + ": loads",
                    () -> {
                      String msg = String.join("\n", result.loadErrors());
                      if (core) {
                        fail(msg);
                      }
                      abort(msg);
                    }));
    Stream<DynamicTest> evals =
        result.outcomes().stream()
            .map(o ->
                DynamicTest.dynamicTest(
                    result.name() + ":" + o.eval().line() + " " + o.eval().query(),
                    () -> {
                      switch (o.status()) {
                        case PASSED -> {}
                        case SKIPPED -> abort("skipped: " + o.message());
                        case FAILED -> {
                          if (core) {
                            fail(o.message());
                          }
                          abort("reported, not enforced: " + o.message());
                        }
                      }
                    }));
    return Stream.concat(loads, evals);
  }
}
