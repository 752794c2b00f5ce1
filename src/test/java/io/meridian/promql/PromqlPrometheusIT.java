package io.meridian.promql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.meridian.storage.Queryable;
import io.meridian.testing.PrometheusPeer;
import io.meridian.testing.SeededRandom;
import io.meridian.tsdb.Tsdb;
import io.meridian.tsdb.TsdbOptions;
import io.meridian.util.Clock;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same PromQL queries on Meridian's engine and on Debian's Prometheus 2.42, over the same data,
 * must give the same answers: the same series, timestamps and values (within 1e-9 relative), the
 * same order where the query sorts, and an error where Prometheus gives one.
 *
 * <p>{@link ScrapeDataSet} writes four hours of scrapes into a Meridian {@link Tsdb}, compacted so
 * that part is in a block and part in the head and WAL. Meridian reads a copy of the directory (its
 * blocks, and its WAL replayed) while Prometheus serves the original. The queries are in {@code
 * prometheus-diff-queries.txt}; each is evaluated as an instant query at {@link #INSTANTS} and as a
 * range query over {@link #RANGES} with a 60 s step. Every evaluation time is 30 s past a whole
 * minute, every {@code @} time a whole second, and every range, offset and subquery step whole
 * minutes, while no sample sits on a whole second: so neither a sample nor a subquery step is ever
 * on a window's left bound, where 2.42 (closed) and 3.x (open) differ. Other differences between
 * the versions are kept out by the data and the queries, as their comments say.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PromqlPrometheusIT {
  private static final long SECOND = 1000;
  private static final long MINUTE = 60 * SECOND;
  private static final long HOUR = 60 * MINUTE;
  private static final int SCRAPES = (int) (4 * HOUR / ScrapeDataSet.INTERVAL_MILLIS);
  private static final long STEP = MINUTE;

  /** Instant query times, after the first scrape slot. */
  private static final long[] INSTANTS = {
    25 * MINUTE + 30 * SECOND,
    HOUR + 58 * MINUTE + 30 * SECOND,
    2 * HOUR + 20 * MINUTE + 30 * SECOND, // the stopped series is stale, the late one not yet there
    3 * HOUR + 12 * MINUTE + 30 * SECOND,
    4 * HOUR + 2 * MINUTE + 30 * SECOND, // after the last scrape, within the lookback
  };

  /** Range query windows {start, end}, after the first scrape slot. */
  private static final long[][] RANGES = {
    {30 * MINUTE + 30 * SECOND, 2 * HOUR + 30 * MINUTE + 30 * SECOND},
    {3 * HOUR + 30 * SECOND, 4 * HOUR + 3 * MINUTE + 30 * SECOND},
  };

  /** What {@code ${AT}} in a query stands for, after the first scrape slot. */
  private static final long AT = HOUR + 45 * MINUTE + 10 * SECOND;

  private final Engine engine = new Engine(EngineOptions.defaults(), Clock.system());
  private final ObjectMapper json = new ObjectMapper();
  private long seed;
  private long start;
  private Tsdb reader;
  private Queryable meridian;
  private PrometheusPeer prometheus;

  @BeforeAll
  void writeDataAndStartBoth(@TempDir Path tmp) throws Exception {
    PrometheusPeer.assumeInstalled();
    seed = seed(System.getProperty("tests.seed"));
    // Ends a quarter of an hour ago: recent enough for retention, old enough to be all written.
    start = Clock.system().millis() / MINUTE * MINUTE - 4 * HOUR - 15 * MINUTE;
    Path data = tmp.resolve("data");
    try (Tsdb db = Tsdb.open(data, TsdbOptions.defaults(), Clock.system())) {
      int series = ScrapeDataSet.write(db, new SeededRandom(seed), start, SCRAPES);
      assertThat(series).isBetween(50, 200);
      db.compact();
      assertThat(db.blocks()).as("a block cut from the head").isNotEmpty();
    }
    // A copy, opened as a server opens its directory (WAL replay, head chunks on disk): Prometheus
    // locks the original.
    reader = Tsdb.open(copy(data, tmp.resolve("meridian")), TsdbOptions.defaults(), Clock.system());
    meridian = reader;
    prometheus = PrometheusPeer.start(tmp, data, "global: {}\n", Duration.ofMinutes(2));
  }

  @AfterAll
  void stopBoth() throws IOException {
    if (prometheus != null) {
      prometheus.close();
    }
    if (reader != null) {
      reader.close();
    }
  }

  @TestFactory
  Stream<DynamicTest> answersAgree() throws IOException {
    List<Query> queries = Query.load("prometheus-diff-queries.txt");
    assertThat(queries).hasSizeGreaterThan(60);
    return queries.stream()
        .map(q ->
            dynamicTest(
                q.text(),
                () -> assertThat(differences(q)).as("%s\n%s", q.text(), reproduce()).isEmpty()));
  }

  /** Every evaluation of {@code q} where the answers differ, and how. */
  private List<String> differences(Query q) throws Exception {
    String text = q.text().replace("${AT}", Long.toString((start + AT) / SECOND));
    List<String> out = new ArrayList<>();
    List<Answer> answers = new ArrayList<>();
    for (long at : INSTANTS) {
      long t = start + at;
      Answer ours = Answer.ofMeridian(() -> engine.instantQuery(meridian, text, t));
      Answer theirs = prometheus("/api/v1/query?time=" + t / SECOND, text);
      check(q, "instant at +" + Duration.ofMillis(at), ours, theirs, out);
      answers.add(theirs);
    }
    for (long[] range : q.ordered() ? new long[0][] : RANGES) {
      long from = start + range[0];
      long to = start + range[1];
      Answer ours = Answer.ofMeridian(() -> engine.rangeQuery(meridian, text, from, to, STEP));
      Answer theirs =
          prometheus(
              "/api/v1/query_range?start=%d&end=%d&step=%d"
                  .formatted(from / SECOND, to / SECOND, STEP / SECOND),
              text);
      String what = "range +" + Duration.ofMillis(range[0]) + ".." + Duration.ofMillis(range[1]);
      check(q, what, ours, theirs, out);
      answers.add(theirs);
    }
    boolean vacuous =
        answers.stream().allMatch(a -> a.series().isEmpty() && !a.type().equals("string"));
    if (vacuous && !q.mustFail() && !q.empty()) {
      out.add("Prometheus answered nothing at every evaluation: the query tests little");
    }
    return out;
  }

  private static void check(Query q, String what, Answer ours, Answer theirs, List<String> out) {
    if (q.mustFail() && !theirs.type().equals("error")) {
      out.add(what + ": Prometheus did not fail, so the query tests nothing: " + theirs);
    }
    List<String> diffs = ours.differences(theirs, q.ordered());
    if (!diffs.isEmpty()) {
      out.add(
          what
              + ": "
              + String.join("; ", diffs.subList(0, Math.min(5, diffs.size())))
              + (diffs.size() > 5 ? "; ... (" + diffs.size() + " differences)" : "")
              + "\n    Meridian:   "
              + ours.toString().replace("\n", "\n    ")
              + "\n    Prometheus: "
              + theirs.toString().replace("\n", "\n    "));
    }
  }

  private Answer prometheus(String path, String query) throws Exception {
    HttpResponse<String> resp =
        prometheus.get(path + "&query=" + URLEncoder.encode(query, StandardCharsets.UTF_8));
    assertThat(resp.statusCode()).as("%s: %s", path, resp.body()).isIn(200, 400, 422);
    return Answer.ofPrometheus(json.readTree(resp.body()));
  }

  private String reproduce() {
    return "reproduce with: ./dev mvn -B -o -Dspotless.check.skip=true verify -Dtest=NONE"
        + " -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=PromqlPrometheusIT -Dtests.seed=0x"
        + HexFormat.of().toHexDigits(seed);
  }

  private static long seed(String property) {
    if (property == null || property.isBlank()) {
      return new SplittableRandom().nextLong();
    }
    String s = property.strip();
    return s.startsWith("0x") ? Long.parseUnsignedLong(s.substring(2), 16) : Long.parseLong(s);
  }

  private static Path copy(Path from, Path to) throws IOException {
    List<Path> all;
    try (Stream<Path> s = Files.walk(from)) {
      all = s.toList();
    }
    for (Path p : all) {
      Path target = to.resolve(from.relativize(p).toString());
      if (Files.isDirectory(p)) {
        Files.createDirectories(target);
      } else {
        Files.copy(p, target);
      }
    }
    return to;
  }

  /**
   * One line of a query file: {@code [flag |] query}, the flag being {@code sorted} (instant
   * queries only, order compared), {@code error} (Prometheus must fail it too) or {@code empty}
   * (the answer is always empty; other queries must answer something at some evaluation).
   */
  record Query(String text, boolean ordered, boolean mustFail, boolean empty) {
    static List<Query> load(String resource) throws IOException {
      List<Query> out = new ArrayList<>();
      try (InputStream in = PromqlPrometheusIT.class.getResourceAsStream(resource)) {
        assertThat(in).as(resource).isNotNull();
        for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList()) {
          String l = line.strip();
          if (l.isEmpty() || l.startsWith("#")) {
            continue;
          }
          int bar = l.indexOf(" | ");
          String flags = bar < 0 ? "" : l.substring(0, bar);
          if (!List.of("sorted", "error", "empty").contains(flags)) {
            flags = "";
            bar = -3;
          }
          String text = l.substring(bar + 3).strip();
          out.add(
              new Query(
                  text, flags.equals("sorted"), flags.equals("error"), flags.equals("empty")));
        }
      }
      return out;
    }
  }
}
