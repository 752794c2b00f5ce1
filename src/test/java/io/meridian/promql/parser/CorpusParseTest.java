package io.meridian.promql.parser;

import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.testing.SharedCorpus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every query of the core conformance scripts parses (unless its eval expects a failure), and its
 * printed form parses back to the same tree.
 */
class CorpusParseTest {
  private static final List<String> CORE =
      List.of(
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
  private static final Pattern EVAL =
      Pattern.compile(
          "^\\s*eval(_fail|_warn|_info|_ordered)?\\s+"
              + "(?:instant\\s+at\\s+\\S+|range\\s+from\\s+\\S+\\s+to\\s+\\S+\\s+step\\s+\\S+)\\s+(.*)$");

  /** One eval of a script: where it is, its query, and whether it expects a failure. */
  record Eval(String where, String query, boolean expectsFailure) {
    @Override
    public String toString() {
      return where + " " + query;
    }
  }

  static Stream<Arguments> evals() throws IOException {
    List<Arguments> out = new ArrayList<>();
    Path dir = SharedCorpus.promqlTestdata();
    if (!Files.isDirectory(dir)) {
      return Stream.of(Arguments.of(new Eval("(no corpus at " + dir + ")", "", false)));
    }
    for (String name : CORE) {
      Path file = dir.resolve(name + ".test");
      List<String> lines = Files.readAllLines(file);
      for (int i = 0; i < lines.size(); i++) {
        Matcher m = EVAL.matcher(lines.get(i));
        if (!m.matches()) {
          continue;
        }
        boolean fails = "_fail".equals(m.group(1));
        for (int j = i + 1; j < lines.size() && !lines.get(j).isBlank(); j++) {
          String next = lines.get(j).strip();
          if (next.startsWith("expect fail")) {
            fails = true;
          }
          if (next.startsWith("eval") || next.startsWith("load") || next.startsWith("clear")) {
            break;
          }
        }
        out.add(Arguments.of(new Eval(name + ".test:" + (i + 1), m.group(2).strip(), fails)));
      }
    }
    assertThat(out).hasSizeGreaterThan(1000);
    return out.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("evals")
  void parsesAndPrintsBack(Eval eval) {
    SharedCorpus.requirePromqlTestdata();
    Expr e;
    try {
      e = PromqlParser.parse(eval.query());
    } catch (ParseException ex) {
      assertThat(eval.expectsFailure()).as("%s: %s", eval, ex.getMessage()).isTrue();
      return;
    }
    String printed = e.toString();
    Expr again = PromqlParser.parse(printed);
    assertThat(Exprs.normalized(again)).as(printed).isEqualTo(Exprs.normalized(e));
    assertThat(again.toString()).isEqualTo(printed);
  }
}
