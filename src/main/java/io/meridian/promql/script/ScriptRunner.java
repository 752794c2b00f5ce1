package io.meridian.promql.script;

import io.meridian.model.Labels;
import io.meridian.model.Matcher;
import io.meridian.promql.EngineOptions;
import io.meridian.promql.Matrix;
import io.meridian.promql.PromqlException;
import io.meridian.promql.QueryResult;
import io.meridian.promql.RangeSeries;
import io.meridian.promql.Sample;
import io.meridian.promql.Scalar;
import io.meridian.promql.Value;
import io.meridian.promql.Vector;
import io.meridian.promql.parser.Expr;
import io.meridian.promql.parser.ParseException;
import io.meridian.promql.parser.PromqlParser;
import io.meridian.storage.AppendableStore;
import io.meridian.storage.Appender;
import io.meridian.storage.Queryable;
import io.meridian.storage.SampleRejectedException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Runs scripts: each against a fresh store from the factory (and a fresh one after each {@code
 * clear}), each {@code eval} passed, failed or skipped.
 *
 * <p><b>What an eval checks</b>, as Prometheus's runner does: the query fails or not as expected
 * (and with the expected message), its annotations match the {@code expect} lines, its result
 * matches the expected one (see {@link ResultComparison}). An instant query is also run as a range
 * query from t-1m to t+1m step 1m, whose point at t must match too (not for range vector or string
 * results, {@code start()}, {@code end()}, {@code range()}, {@code step()} queries, and in result
 * order), and, when it parses and {@link #withStepInvariance step invariance} is on, with {@code @
 * t} added to its selectors at other times (see {@link StepInvariance}).
 *
 * <p><b>Native histograms</b> cannot be stored yet. A {@code load} stores the float points of a
 * series and remembers the series that had {@code {{...}}} points (and, for {@code load_with_nhcb},
 * the histogram series Prometheus derives from classic ones). An eval is skipped when its expected
 * result has native histograms or when one of its query's selectors selects a remembered series.
 *
 * <p>Not thread-safe; one script at a time.
 */
public final class ScriptRunner {
  private static final Pattern QUERY_CONTEXT_FUNCTIONS =
      Pattern.compile("(start|end|range|step)\\(\\)");
  private static final long RANGE_MODE_STEP = 60_000;

  private final Supplier<Store> stores;
  private final QueryRunner queries;
  private final boolean stepInvariance;

  /** The store an eval runs against, and what to close when done with it. */
  private record Store(AppendableStore appendable, Queryable queryable, Object handle) {}

  private ScriptRunner(Supplier<Store> stores, QueryRunner queries, boolean stepInvariance) {
    this.stores = stores;
    this.queries = queries;
    this.stepInvariance = stepInvariance;
  }

  /**
   * A runner that takes a new store from {@code stores} for each script and after each {@code
   * clear} (closing the old one if it is {@link AutoCloseable}), and runs queries with {@code
   * queries}.
   */
  public static <S extends AppendableStore & Queryable> ScriptRunner of(
      Supplier<S> stores, QueryRunner queries) {
    return new ScriptRunner(
        () -> {
          S s = stores.get();
          return new Store(s, s, s);
        },
        queries,
        true);
  }

  /** This runner with the {@code @} re-runs of instant queries on or off (on by default). */
  public ScriptRunner withStepInvariance(boolean on) {
    return new ScriptRunner(stores, queries, on);
  }

  /**
   * The engine settings Prometheus runs its scripts with: lookback 5m, at most 10,000 samples per
   * query, timeout 100 s, experimental functions on, subqueries without a step at 1m.
   */
  public static EngineOptions engineOptions() {
    return EngineOptions.defaults()
        .withLookbackDelta(Duration.ofMinutes(5))
        .withMaxSamples(10_000)
        .withTimeout(Duration.ofSeconds(100));
  }

  /** Runs {@code script} against a fresh store. */
  public FileResult run(Script script) {
    Run run = new Run(script.name());
    try {
      for (Command c : script.commands()) {
        switch (c) {
          case Command.Clear clear -> run.clear();
          case Command.Load load -> run.load(load);
          case Command.Eval eval -> run.outcomes.add(run.eval(eval));
        }
      }
    } finally {
      run.close();
    }
    return new FileResult(script.name(), run.outcomes, run.loadErrors);
  }

  /** The state of one script's run. */
  private final class Run {
    private final String name;
    private final List<EvalOutcome> outcomes = new ArrayList<>();
    private final List<String> loadErrors = new ArrayList<>();
    private final Set<Labels> histogramSeries = new LinkedHashSet<>();
    private Store store;

    Run(String name) {
      this.name = name;
      this.store = stores.get();
    }

    void clear() {
      close();
      histogramSeries.clear();
      store = stores.get();
    }

    void close() {
      if (store.handle() instanceof AutoCloseable c) {
        try {
          c.close();
        } catch (Exception e) {
          loadErrors.add(name + ": closing the store: " + e);
        }
      }
    }

    void load(Command.Load load) {
      Appender app = store.appendable().appender();
      for (SeriesLine s : load.series()) {
        if (s.hasHistograms()) {
          histogramSeries.add(s.labels());
        }
        long t = 0;
        for (SequenceValue v : s.values()) {
          if (!v.omitted() && !v.isHistogram()) {
            try {
              app.append(s.labels(), t, v.value());
            } catch (SampleRejectedException | IllegalArgumentException e) {
              loadErrors.add(
                  name + ":" + s.line() + ": " + s.labels() + " at " + t + ": " + e.getMessage());
            }
          }
          t += load.intervalMillis();
        }
      }
      try {
        app.commit();
      } catch (IOException e) {
        loadErrors.add(name + ":" + load.line() + ": load not committed: " + e.getMessage());
      }
      if (load.withNhcb()) {
        histogramSeries.addAll(NativeHistograms.customBucketSeries(load.series()));
      }
    }

    EvalOutcome eval(Command.Eval ev) {
      if (ev.expectsHistograms()) {
        return EvalOutcome.skipped(ev, "the expected result has native histograms");
      }
      Expr expr = null;
      List<List<Matcher>> selectors;
      try {
        expr = PromqlParser.parse(ev.query());
        selectors = Selectors.of(expr);
      } catch (RuntimeException e) { // ParseException, or a parser bug the engine will meet too
        expr = null;
        selectors = Selectors.scan(ev.query());
      }
      for (Labels h : histogramSeries) {
        if (Selectors.anySelects(selectors, h)) {
          return EvalOutcome.skipped(
              ev, "the query selects " + h + ", loaded with native histograms");
        }
      }
      try {
        if (ev.range()) {
          runRange(ev);
        } else {
          runInstant(ev, ev.query(), ev.time());
          if (expr != null && stepInvariance) {
            for (StepInvariance.Variant v : StepInvariance.variants(expr, ev.time())) {
              runInstant(ev, v.query(), v.time());
            }
          }
        }
        return EvalOutcome.passed(ev);
      } catch (EvalFailure f) {
        return EvalOutcome.failed(ev, f.getMessage());
      } catch (RuntimeException e) {
        return EvalOutcome.failed(ev, "the engine threw " + e);
      }
    }

    private void runRange(Command.Eval ev) {
      QueryResult r;
      try {
        r = queries.range(store.queryable(), ev.query(), ev.start(), ev.end(), ev.step());
      } catch (ParseException | PromqlException e) {
        failedAsExpected(ev, ev.query(), e);
        return;
      }
      succeeded(ev, ev.query(), r);
      try {
        ResultComparison.compare(ev, r.value());
      } catch (EvalFailure f) {
        throw new EvalFailure(f.getMessage() + "\ngot:\n" + ResultComparison.format(r.value()));
      }
    }

    private void runInstant(Command.Eval ev, String query, long time) {
      String as =
          query.equals(ev.query()) && time == ev.time()
              ? ""
              : " (run as " + query + " at " + time + "ms)";
      QueryResult r;
      try {
        r = queries.instant(store.queryable(), query, time);
      } catch (ParseException | PromqlException e) {
        failedAsExpected(ev, query + as, e);
        return;
      }
      succeeded(ev, query + as, r);
      try {
        ResultComparison.compare(ev, r.value());
      } catch (EvalFailure f) {
        throw new EvalFailure(
            f.getMessage() + as + "\ngot:\n" + ResultComparison.format(r.value()));
      }
      if (ev.checkedInRangeMode() && !QUERY_CONTEXT_FUNCTIONS.matcher(query).find()) {
        rangeMode(ev, query, time, as, r.value());
      }
    }

    /** The instant query run as a range query around its time must give the same point. */
    private void rangeMode(Command.Eval ev, String query, long time, String as, Value instant) {
      QueryResult r;
      try {
        r =
            queries.range(
                store.queryable(),
                query,
                time - RANGE_MODE_STEP,
                time + RANGE_MODE_STEP,
                RANGE_MODE_STEP);
      } catch (ParseException | PromqlException e) {
        throw new EvalFailure(
            "error evaluating the query in range mode" + as + ": " + e.getMessage());
      }
      if (ev.ordered()) {
        return; // a range query's series are always sorted by labels
      }
      if (!(r.value() instanceof Matrix m)) {
        throw new EvalFailure(
            "range mode"
                + as
                + " returned "
                + ResultComparison.format(r.value())
                + ", not a matrix");
      }
      ResultComparison.assertSorted(m);
      List<Sample> at = new ArrayList<>();
      for (RangeSeries s : m.series()) {
        for (int i = 0; i < s.size(); i++) {
          if (s.t(i) == time) {
            at.add(new Sample(s.labels(), time, s.v(i)));
            break;
          }
        }
      }
      try {
        if (instant instanceof Scalar) {
          if (at.isEmpty()) {
            throw new EvalFailure("no point at " + time + "ms");
          }
          ResultComparison.compare(ev, new Scalar(time, at.getFirst().v()));
        } else {
          ResultComparison.compare(ev, new Vector(at));
        }
      } catch (EvalFailure f) {
        throw new EvalFailure(
            "in range mode" + as + ": " + f.getMessage() + "\ngot:\n" + ResultComparison.format(m));
      }
    }

    private static void failedAsExpected(Command.Eval ev, String query, RuntimeException e) {
      if (!ev.expectsFailure()) {
        throw new EvalFailure("error evaluating query " + query + ": " + e.getMessage());
      }
      ResultComparison.checkFailure(ev, e.getMessage());
    }

    private static void succeeded(Command.Eval ev, String query, QueryResult r) {
      if (ev.expectsFailure()) {
        throw new EvalFailure(
            "expected error evaluating query "
                + query
                + " but got none; got:\n"
                + ResultComparison.format(r.value()));
      }
      ResultComparison.checkAnnotations(ev, r);
    }
  }
}
