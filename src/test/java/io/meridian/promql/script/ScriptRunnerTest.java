package io.meridian.promql.script;

import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.model.Labels;
import io.meridian.model.StaleNaN;
import io.meridian.promql.Matrix;
import io.meridian.promql.PromqlException;
import io.meridian.promql.QueryResult;
import io.meridian.promql.RangeSeries;
import io.meridian.promql.Sample;
import io.meridian.promql.Scalar;
import io.meridian.promql.Value;
import io.meridian.promql.Vector;
import io.meridian.storage.AppendableStore;
import io.meridian.storage.Appender;
import io.meridian.storage.Querier;
import io.meridian.storage.Queryable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The runner with a recording store and canned query answers: no engine needed. */
class ScriptRunnerTest {

  /** Records what was appended; its querier is never used by the fake engine. */
  static final class RecordingStore implements AppendableStore, Queryable {
    final List<String> appended = new ArrayList<>();

    @Override
    public Appender appender() {
      return new Appender() {
        @Override
        public long append(long ref, Labels labels, long t, double v) {
          appended.add(labels + " " + t + " " + (StaleNaN.is(v) ? "stale" : GoNumbers.format(v)));
          return 1;
        }

        @Override
        public void commit() {}

        @Override
        public void rollback() {}
      };
    }

    @Override
    public Querier querier(long mint, long maxt) {
      throw new UnsupportedOperationException();
    }
  }

  /** Answers by query text; records each call. */
  static final class FakeQueries implements QueryRunner {
    final Map<String, Function<Long, Value>> answers = new HashMap<>();
    final List<String> calls = new ArrayList<>();
    List<String> warnings = List.of();

    @Override
    public QueryResult instant(Queryable storage, String query, long time) {
      calls.add("instant " + query + " @" + time);
      return answer(query, time);
    }

    @Override
    public QueryResult range(Queryable storage, String query, long start, long end, long step) {
      calls.add("range " + query + " " + start + ".." + end + "/" + step);
      List<RangeSeries> series = new ArrayList<>();
      Map<Labels, List<long[]>> points = new java.util.TreeMap<>();
      for (long t = start; t <= end; t += step) {
        Value v = answer(query, t).value();
        if (v instanceof Scalar s) {
          points
              .computeIfAbsent(Labels.EMPTY, k -> new ArrayList<>())
              .add(new long[] {t, Double.doubleToLongBits(s.v())});
        } else if (v instanceof Vector vec) {
          for (Sample x : vec.samples()) {
            points
                .computeIfAbsent(x.labels(), k -> new ArrayList<>())
                .add(new long[] {t, Double.doubleToLongBits(x.v())});
          }
        }
      }
      points.forEach((l, p) -> {
        long[] ts = new long[p.size()];
        double[] vs = new double[p.size()];
        for (int i = 0; i < p.size(); i++) {
          ts[i] = p.get(i)[0];
          vs[i] = Double.longBitsToDouble(p.get(i)[1]);
        }
        series.add(new RangeSeries(l, ts, vs, ts.length));
      });
      return new QueryResult(new Matrix(series), warnings, List.of());
    }

    private QueryResult answer(String query, long time) {
      Function<Long, Value> f = answers.get(query);
      if (f == null) {
        throw new PromqlException(PromqlException.Kind.EXECUTION, "no answer for " + query);
      }
      return new QueryResult(f.apply(time), warnings, List.of());
    }
  }

  private final List<RecordingStore> stores = new ArrayList<>();
  private final FakeQueries queries = new FakeQueries();

  private FileResult run(String text) {
    ScriptRunner runner =
        ScriptRunner.of(
                () -> {
                  RecordingStore s = new RecordingStore();
                  stores.add(s);
                  return s;
                },
                queries)
            .withStepInvariance(false);
    return runner.run(ScriptReader.read("t.test", text));
  }

  private static Vector one(Labels l, double v) {
    return new Vector(List.of(new Sample(l, 0, v)));
  }

  @Test
  void loadsExpandedPointsAtTheIntervalAndAFreshStoreAfterClear() {
    FileResult r = run("load 1m\n  up 1+1x2 _ stale\n\nclear\nload 30s\n  up 5\n");
    assertThat(r.outcomes()).isEmpty();
    assertThat(stores).hasSize(2);
    assertThat(stores.get(0).appended)
        .containsExactly(
            "{__name__=\"up\"} 0 1",
            "{__name__=\"up\"} 60000 2",
            "{__name__=\"up\"} 120000 3",
            "{__name__=\"up\"} 240000 stale");
    assertThat(stores.get(1).appended).containsExactly("{__name__=\"up\"} 0 5");
  }

  @Test
  void passesFailsAndCountsEachEval() {
    Labels up = Labels.of("__name__", "up");
    queries.answers.put("up", t -> one(up, t / 60_000.0));
    FileResult r =
        run(
            """
            eval instant at 2m up
              up 2

            eval instant at 3m up
              up 4

            eval range from 0 to 2m step 1m up
              up 0 1 2

            eval instant at 0 nothing
              expect fail msg: no answer for nothing

            eval instant at 0 nothing
            """);
    assertThat(r.outcomes())
        .extracting(EvalOutcome::status)
        .containsExactly(
            EvalOutcome.Status.PASSED,
            EvalOutcome.Status.FAILED,
            EvalOutcome.Status.PASSED,
            EvalOutcome.Status.PASSED,
            EvalOutcome.Status.FAILED);
    assertThat(r.outcomes().get(1).message())
        .startsWith("expected 4 for {__name__=\"up\"} but got 3");
    assertThat(r.outcomes().get(4).message())
        .isEqualTo("error evaluating query nothing: no answer for nothing");
    assertThat(r.summary()).isEqualTo("3 passed, 2 failed, 0 skipped");
    assertThat(r.ok()).isFalse();
  }

  @Test
  void instantQueriesAreCheckedInRangeModeToo() {
    Labels up = Labels.of("__name__", "up");
    queries.answers.put("up", t -> t == 120_000 ? one(up, 2) : one(up, 99));
    queries.answers.put("step_dependent", t -> t == 120_000 ? one(up, 2) : new Vector(List.of()));
    FileResult r =
        run(
            """
            eval instant at 2m up
              up 2

            eval instant at 2m step_dependent
              up 2
            """);
    assertThat(queries.calls)
        .containsExactly(
            "instant up @120000",
            "range up 60000..180000/60000",
            "instant step_dependent @120000",
            "range step_dependent 60000..180000/60000");
    assertThat(r.outcomes())
        .extracting(EvalOutcome::status)
        .containsOnly(EvalOutcome.Status.PASSED);

    queries.calls.clear();
    queries.answers.put("up", t -> t == 120_000 ? one(up, 2) : new Vector(List.of()));
    queries.answers.put("bad_in_range", t -> one(up, 2));
    FileResult skipRangeMode =
        run(
            "eval instant at 2m time()\n  up 2\n\neval instant at 2m up[1m]\n  expect range vector from 1m to 2m step 1m\n");
    assertThat(queries.calls).doesNotContain("range time() 60000..180000/60000");
    assertThat(skipRangeMode.outcomes()).hasSize(2);
  }

  @Test
  void rangeModeMismatchFails() {
    Labels up = Labels.of("__name__", "up");
    queries.answers.put(
        "flaky",
        new Function<>() {
          int calls;

          @Override
          public Value apply(Long t) {
            return one(up, calls++ == 0 ? 2 : 3);
          }
        });
    FileResult r = run("eval instant at 2m flaky\n  up 2\n");
    assertThat(r.outcomes().getFirst().status()).isEqualTo(EvalOutcome.Status.FAILED);
    assertThat(r.outcomes().getFirst().message())
        .startsWith("in range mode: expected 2 for {__name__=\"up\"} but got 3");
  }

  @Test
  void annotationsAreChecked() {
    queries.answers.put("up", t -> new Scalar(t, 1));
    queries.warnings = List.of("PromQL warning: careful (1:1)");
    FileResult r =
        run(
            """
            eval instant at 0 up
              expect warn
              1

            eval instant at 0 up
              expect no_warn
              1
            """);
    assertThat(r.outcomes())
        .extracting(EvalOutcome::status)
        .containsExactly(EvalOutcome.Status.PASSED, EvalOutcome.Status.FAILED);
  }

  @Test
  void nativeHistogramSkipRule() {
    queries.answers.put("plain", t -> new Vector(List.of()));
    queries.answers.put("{__name__=~\"pl.*\"}", t -> new Vector(List.of()));
    FileResult r =
        run(
            """
            load 1m
              plain{job="a"} 1
              hist{job="a"} 1 {{schema:0 sum:1 count:1}}
              classic_bucket{le="0.5"} 1
              classic_bucket{le="+Inf"} 2

            eval instant at 0 plain
              plain{job="a"} {{count:1}}

            eval instant at 0 rate(hist[5m])

            eval instant at 0 sum by (job) ({job="a"})

            eval instant at 0 plain

            eval instant at 0 {__name__=~"pl.*"}

            clear
            load_with_nhcb 1m
              classic_bucket{le="0.5"} 1
              classic_bucket{le="+Inf"} 2
              classic_count 2

            eval instant at 0 histogram_quantile(0.5, classic)

            eval instant at 0 classic_bucket

            clear

            eval instant at 0 rate(hist[5m])
            """);
    assertThat(r.outcomes())
        .extracting(o -> o.eval().line() + " " + o.status())
        .containsExactly(
            "7 SKIPPED",
            "10 SKIPPED",
            "12 SKIPPED",
            "14 PASSED",
            "16 PASSED",
            "24 SKIPPED",
            "26 FAILED",
            "30 FAILED");
    assertThat(r.outcomes().getFirst().message())
        .isEqualTo("the expected result has native histograms");
    assertThat(r.outcomes().get(1).message())
        .isEqualTo(
            "the query selects {__name__=\"hist\", job=\"a\"}, loaded with native histograms");
    assertThat(r.outcomes().get(5).message())
        .isEqualTo("the query selects {__name__=\"classic\"}, loaded with native histograms");
    assertThat(stores.getFirst().appended)
        .as("the float points of a series with histograms are stored")
        .contains("{__name__=\"hist\", job=\"a\"} 0 1");
  }

  @Test
  void selectorScanWhileTheParserCannotParse() {
    List<List<io.meridian.model.Matcher>> s =
        Selectors.scan(
            "sum by (job) (rate(a{x=\"1\"}[5m] offset 1m)) / on(i) b + \"c\" + {d=~\"e\"} + foo{");
    assertThat(s.stream().map(Object::toString).toList())
        .contains(
            "[__name__=\"a\", x=\"1\"]", "[__name__=\"b\"]", "[d=~\"e\"]", "[__name__=\"job\"]")
        .doesNotContain(
            "[__name__=\"sum\"]", "[__name__=\"rate\"]", "[__name__=\"m\"]", "[__name__=\"c\"]");
    assertThat(Selectors.anySelects(s, Labels.of("__name__", "zzz", "d", "e"))).isTrue();
    assertThat(Selectors.anySelects(s, Labels.of("__name__", "zzz"))).isFalse();
  }

  @Test
  void customBucketSeriesAreNamedAsPrometheusDerivesThem() {
    Command.Load load =
        (Command.Load)
            ScriptReader.read(
                    "t",
                    "load_with_nhcb 1m\n  h_bucket{le=\"1\", j=\"x\"} 1\n  h_bucket{le=\"NaN\", j=\"y\"} 1\n  h_sum{j=\"z\"} 1\n  other 1\n")
                .commands()
                .getFirst();
    assertThat(NativeHistograms.customBucketSeries(load.series()))
        .containsExactly(
            Labels.of("__name__", "h", "j", "x"), Labels.of("__name__", "h", "j", "z"));
  }
}
