package io.meridian.promql;

import io.meridian.model.Labels;
import io.meridian.promql.Val.Num;
import io.meridian.promql.Val.Str;
import io.meridian.promql.Val.Vec;
import io.meridian.promql.parser.Expr;
import io.meridian.promql.parser.ParenExpr;
import io.meridian.promql.parser.PromqlParser;
import io.meridian.promql.parser.ValueType;
import io.meridian.storage.Queryable;
import io.meridian.util.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;

/**
 * Evaluates PromQL queries over a {@link Queryable}, with Prometheus's semantics and limits: the
 * lookback window, a bound on samples held, a timeout and a bound on concurrent queries.
 * Thread-safe.
 */
public final class Engine {
  private final EngineOptions options;
  private final Clock clock;
  private final Semaphore slots;

  public Engine(EngineOptions options, Clock clock) {
    this.options = options;
    this.clock = clock;
    this.slots = new Semaphore(Math.max(1, options.maxConcurrent()), true);
  }

  public EngineOptions options() {
    return options;
  }

  /**
   * Evaluates {@code query} at {@code time} (milliseconds).
   *
   * @throws io.meridian.promql.parser.ParseException if the query does not parse
   * @throws PromqlException if evaluation fails
   */
  public QueryResult instantQuery(Queryable storage, String query, long time) {
    Expr e = PromqlParser.parse(query, options.experimentalFunctions());
    return run(storage, query, e, time, time, 0, true);
  }

  /**
   * Evaluates {@code query} at every step from {@code start} to {@code end} (milliseconds); the
   * result is always a matrix.
   */
  public QueryResult rangeQuery(Queryable storage, String query, long start, long end, long step) {
    if (step <= 0) {
      throw new PromqlException(
          PromqlException.Kind.BAD_DATA,
          "zero or negative query resolution step widths are not accepted. Try a positive"
              + " integer");
    }
    if (end < start) {
      throw new PromqlException(
          PromqlException.Kind.BAD_DATA, "end timestamp must not be before start time");
    }
    Expr e = PromqlParser.parse(query, options.experimentalFunctions());
    ValueType t = e.type();
    if (t != ValueType.SCALAR && t != ValueType.VECTOR) {
      throw new PromqlException(
          PromqlException.Kind.BAD_DATA,
          "invalid expression type \""
              + t.promName()
              + "\" for range query, must be Scalar or instant Vector");
    }
    return run(storage, query, e, start, end, step, false);
  }

  private QueryResult run(
      Queryable storage, String query, Expr e, long start, long end, long step, boolean instant) {
    try {
      slots.acquire();
    } catch (InterruptedException ie) {
      Thread.currentThread().interrupt();
      throw new PromqlException(PromqlException.Kind.CANCELED, "query was canceled");
    }
    try (QueryContext ctx =
        new QueryContext(storage, options, query, start, end, step, instant, clock)) {
      Steps steps = Steps.of(start, end, step);
      Evaluator ev = new Evaluator(ctx, steps);
      Value v = instant ? instantValue(ev, e, start) : rangeValue(ev, e, steps);
      return new QueryResult(v, new ArrayList<>(ctx.warnings), new ArrayList<>(ctx.infos));
    } finally {
      slots.release();
    }
  }

  private static Value instantValue(Evaluator ev, Expr e, long t) {
    Expr inner = e;
    while (inner instanceof ParenExpr p) {
      inner = p.expr();
    }
    if (e.type() == ValueType.MATRIX) {
      RangeArg r = ev.evalRange(inner);
      List<RangeSeries> out = new ArrayList<>();
      r.forEach(s -> {
        RangeArg.Window w = new RangeArg.Window();
        w.move(s, r.refs[0], r.range);
        if (w.size() > 0) {
          long[] ts = java.util.Arrays.copyOfRange(s.ts, w.lo, w.hi);
          double[] vs = java.util.Arrays.copyOfRange(s.vs, w.lo, w.hi);
          Labels l = s.dropName ? s.labels.withoutMetricName() : s.labels;
          out.add(new RangeSeries(l, ts, vs, ts.length));
        }
      });
      checkDistinct(out);
      return new Matrix(out);
    }
    Val v = ev.eval(inner);
    return switch (v) {
      case Num x -> new Scalar(t, x.v()[0]);
      case Str(String s) -> new StringValue(t, s);
      case Vec vec -> {
        List<Sample> out = new ArrayList<>();
        Map<Labels, Boolean> seen = new HashMap<>();
        for (Row r : vec.rows()) {
          if (r.has[0]) {
            Labels l = r.outputLabels();
            if (seen.put(l, Boolean.TRUE) != null) {
              throw duplicate();
            }
            out.add(new Sample(l, t, r.v[0]));
          }
        }
        yield new Vector(out);
      }
    };
  }

  private static Value rangeValue(Evaluator ev, Expr e, Steps steps) {
    Val v = ev.eval(e);
    int n = steps.count();
    long[] ts = new long[n];
    double[] vs = new double[n];
    List<RangeSeries> out = new ArrayList<>();
    if (v instanceof Num num) {
      double[] x = num.v();
      for (int i = 0; i < n; i++) {
        ts[i] = steps.time(i);
        vs[i] = x[i];
      }
      out.add(new RangeSeries(Labels.EMPTY, ts, vs, n));
      return new Matrix(out);
    }
    // Series that end up with the same labels (once names are dropped) merge if they never
    // meet at a step, as Prometheus's output map merges them; meeting is an error.
    Map<Labels, Row> merged = new HashMap<>();
    List<Row> order = new ArrayList<>();
    for (Row r : ((Vec) v).rows()) {
      if (r.empty()) {
        continue;
      }
      Labels l = r.outputLabels();
      Row m = merged.get(l);
      if (m == null) {
        Row c = new Row(l, n);
        merged.put(l, c);
        order.add(c);
        m = c;
      }
      for (int i = 0; i < n; i++) {
        if (r.has[i]) {
          if (m.has[i]) {
            throw duplicate();
          }
          m.set(i, r.v[i]);
        }
      }
    }
    order.sort(Comparator.comparing(r -> r.labels));
    for (Row r : order) {
      int k = 0;
      for (int i = 0; i < n; i++) {
        if (r.has[i]) {
          ts[k] = steps.time(i);
          vs[k] = r.v[i];
          k++;
        }
      }
      out.add(new RangeSeries(r.labels, ts, vs, k));
    }
    return new Matrix(out);
  }

  private static void checkDistinct(List<RangeSeries> series) {
    Map<Labels, Boolean> seen = new HashMap<>();
    for (RangeSeries s : series) {
      if (seen.put(s.labels(), Boolean.TRUE) != null) {
        throw duplicate();
      }
    }
  }

  private static PromqlException duplicate() {
    return new PromqlException(
        PromqlException.Kind.EXECUTION, "vector cannot contain metrics with the same labelset");
  }
}
