package io.meridian.promql.parser;

import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.testing.SeededRandom;
import io.meridian.testing.SeededRandomExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Garbage and damaged queries give a tree or a {@link ParseException}, never another exception or a
 * stack overflow; whatever parses prints back as text that parses to the same tree.
 */
@ExtendWith(SeededRandomExtension.class)
class ParserFuzzTest {
  private static final String[] PIECES = {
    "(",
    ")",
    "{",
    "}",
    "[",
    "]",
    ",",
    ":",
    "=",
    "!=",
    "=~",
    "!~",
    "==",
    "+",
    "-",
    "*",
    "/",
    "^",
    "%",
    "@",
    " ",
    "\n",
    "#",
    "\"",
    "'",
    "`",
    "\\",
    "1",
    "0x1f",
    "1.5e3",
    "5m",
    "1h30m",
    "Inf",
    "NaN",
    "foo",
    "a:b",
    "sum",
    "by",
    "without",
    "on",
    "ignoring",
    "group_left",
    "bool",
    "offset",
    "and",
    "or",
    "unless",
    "atan2",
    "rate",
    "topk",
    "start()",
    "end()",
    "step",
    "é",
    "\u0000",
    "\uD83D\uDE00",
    "job",
    "__name__",
    "\"x\"",
    "[5m:]",
    "offset -5m",
    "label_join"
  };

  @Test
  void randomTokenSoup(SeededRandom random) {
    for (int i = 0; i < 20_000; i++) {
      StringBuilder sb = new StringBuilder();
      int n = random.nextInt(1, 25);
      for (int k = 0; k < n; k++) {
        sb.append(random.pick(PIECES));
      }
      check(sb.toString());
    }
  }

  @Test
  void randomCharacters(SeededRandom random) {
    for (int i = 0; i < 5_000; i++) {
      check(random.nextUnicode(0, 30));
      check(random.nextAscii(0, 30));
      StringBuilder sb = new StringBuilder();
      for (int k = random.nextInt(40); k > 0; k--) {
        sb.append((char) random.nextInt(0x20, 0x7f));
      }
      check(sb.toString());
    }
  }

  @Test
  void mutatedCorpusQueries(SeededRandom random) throws IOException {
    List<String> queries = corpusQueries();
    assertThat(queries).hasSizeGreaterThan(1000);
    for (int i = 0; i < 20_000; i++) {
      StringBuilder q = new StringBuilder(queries.get(random.nextInt(queries.size())));
      for (int m = random.nextInt(1, 4); m > 0; m--) {
        int at = q.isEmpty() ? 0 : random.nextInt(q.length());
        switch (random.nextInt(3)) {
          case 0 -> {
            if (!q.isEmpty()) {
              q.deleteCharAt(at);
            }
          }
          case 1 -> q.insert(at, random.pick(PIECES));
          default -> {
            if (q.length() > 1) {
              int other = random.nextInt(q.length());
              char c = q.charAt(at);
              q.setCharAt(at, q.charAt(other));
              q.setCharAt(other, c);
            }
          }
        }
      }
      check(q.toString());
    }
  }

  @Test
  void deepInputsEndInAnErrorOnADefaultSizedStack() throws InterruptedException {
    List<Throwable> failures = new ArrayList<>();
    Runnable deep =
        () -> {
          for (String q :
              List.of(
                  "(".repeat(100_000),
                  "-".repeat(100_000) + "1",
                  "1" + "+1".repeat(100_000),
                  "abs(".repeat(10_000) + "x" + ")".repeat(10_000),
                  "sum(".repeat(10_000) + "x" + ")".repeat(10_000),
                  "x" + "[5m:]".repeat(10_000),
                  "(".repeat(Parser.MAX_DEPTH - 10) + "1" + ")".repeat(Parser.MAX_DEPTH - 10),
                  "1" + " ^ 1".repeat(Parser.MAX_DEPTH - 10))) {
            try {
              Expr e = PromqlParser.parse(q);
              PromqlParser.parse(e.toString());
              Exprs.normalized(e);
            } catch (ParseException expected) {
              assertThat(expected.detail()).doesNotStartWith("internal parser error");
            } catch (StackOverflowError e) {
              failures.add(new AssertionError("stack overflow on " + q.substring(0, 20), e));
            }
          }
        };
    Thread t =
        new Thread(null, deep, "default-stack", 1024 * 1024); // the JVM default, Jetty threads too
    t.setUncaughtExceptionHandler((th, ex) -> failures.add(ex));
    t.start();
    t.join();
    assertThat(failures).isEmpty();
  }

  private static void check(String query) {
    Expr e;
    try {
      e = PromqlParser.parse(query);
    } catch (ParseException ex) {
      assertThat(ex.detail()).as(query).doesNotStartWith("internal parser error");
      assertThat(ex.pos()).as(query).isBetween(0, query.length());
      return;
    }
    String printed = e.toString();
    Expr again = PromqlParser.parse(printed);
    assertThat(Exprs.normalized(again))
        .as("%s -> %s", query, printed)
        .isEqualTo(Exprs.normalized(e));
  }

  private static List<String> corpusQueries() throws IOException {
    Pattern eval =
        Pattern.compile(
            "^\\s*eval\\S*\\s+(?:instant\\s+at\\s+\\S+|range\\s+from\\s+\\S+\\s+to\\s+\\S+\\s+step\\s+\\S+)\\s+(.*)$");
    List<String> out = new ArrayList<>();
    try (var files = Files.list(io.meridian.testing.SharedCorpus.requirePromqlTestdata())) {
      for (Path f : files.sorted().toList()) {
        for (String line : Files.readAllLines(f)) {
          Matcher m = eval.matcher(line);
          if (m.matches()) {
            out.add(m.group(1));
          }
        }
      }
    }
    return out;
  }
}
