package io.meridian.promql;

import io.meridian.model.Labels;
import io.meridian.model.StaleNaN;
import io.meridian.promql.Val.Num;
import io.meridian.promql.Val.Str;
import io.meridian.promql.Val.Vec;
import io.meridian.promql.parser.AggregateExpr;
import io.meridian.promql.parser.At;
import io.meridian.promql.parser.BinaryExpr;
import io.meridian.promql.parser.Call;
import io.meridian.promql.parser.Expr;
import io.meridian.promql.parser.MatrixSelector;
import io.meridian.promql.parser.NumberLiteral;
import io.meridian.promql.parser.ParenExpr;
import io.meridian.promql.parser.StringLiteral;
import io.meridian.promql.parser.SubqueryExpr;
import io.meridian.promql.parser.UnaryExpr;
import io.meridian.promql.parser.VectorSelector;
import io.meridian.storage.Querier;
import io.meridian.storage.SampleIterator;
import io.meridian.storage.SelectHints;
import io.meridian.storage.SeriesSet;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Evaluates an expression at every step of a query at once, node by node, as Prometheus's range
 * evaluation does: a vector is a list of rows (a series with a value per step), a scalar a value
 * per step. Selectors read each series once and place its samples on the steps; range functions
 * slide a window over a series' samples.
 */
final class Evaluator {
  final QueryContext ctx;
  final Steps steps;

  Evaluator(QueryContext ctx, Steps steps) {
    this.ctx = ctx;
    this.steps = steps;
  }

  Val eval(Expr e) {
    ctx.checkDeadline();
    return switch (e) {
      case NumberLiteral n -> constant(n.value());
      case StringLiteral s -> new Str(s.value());
      case ParenExpr p -> eval(p.expr());
      case UnaryExpr u -> unary(u);
      case VectorSelector vs -> selectVector(vs);
      case BinaryExpr b -> BinaryOps.eval(this, b);
      case AggregateExpr a -> Aggregations.eval(this, a);
      case Call c -> Functions.call(this, c);
      case MatrixSelector m ->
          throw new PromqlException(
              PromqlException.Kind.BAD_DATA, "range vector not allowed here: " + m);
      case SubqueryExpr s ->
          throw new PromqlException(
              PromqlException.Kind.BAD_DATA, "range vector not allowed here: " + s);
    };
  }

  Num constant(double v) {
    double[] out = new double[steps.count()];
    java.util.Arrays.fill(out, v);
    return new Num(out);
  }

  Vec evalVector(Expr e) {
    return (Vec) eval(e);
  }

  Num evalScalar(Expr e) {
    return (Num) eval(e);
  }

  private Val unary(UnaryExpr u) {
    Val inner = eval(u.expr());
    if (!u.negate()) {
      return inner;
    }
    if (inner instanceof Num num) {
      double[] v = num.v();
      double[] out = new double[v.length];
      for (int i = 0; i < v.length; i++) {
        out[i] = -v[i];
      }
      return new Num(out);
    }
    Vec vec = (Vec) inner;
    for (Row r : vec.rows()) {
      for (int i = 0; i < r.v.length; i++) {
        r.v[i] = -r.v[i];
      }
      r.dropName = true;
      r.ts = null;
    }
    return vec;
  }

  /**
   * The time a selector reads at for step {@code i}: the {@code @} time or the step's, less the
   * offset.
   */
  long refTime(At at, long offset, int i) {
    long t = at == null ? steps.time(i) : atTime(at);
    return t - offset;
  }

  long atTime(At at) {
    return switch (at.kind()) {
      case TIME -> at.millis();
      case START -> ctx.queryStart;
      case END -> ctx.queryEnd;
    };
  }

  /** Samples of one series in time order, stale markers included only for instant selectors. */
  static final class Samples {
    long[] ts = new long[64];
    double[] vs = new double[64];
    int n;

    void add(long t, double v) {
      if (n == ts.length) {
        ts = java.util.Arrays.copyOf(ts, n * 2);
        vs = java.util.Arrays.copyOf(vs, n * 2);
      }
      ts[n] = t;
      vs[n] = v;
      n++;
    }
  }

  /**
   * Reads the series matching {@code vs} over {@code (mint, maxt]} and hands each to {@code
   * consumer}, its samples in {@code buf} (reused).
   */
  void forEachSeries(
      VectorSelector vs,
      long mint,
      long maxt,
      boolean keepStale,
      String func,
      java.util.function.BiConsumer<Labels, Samples> consumer) {
    Samples buf = new Samples();
    Querier q;
    try {
      q = ctx.querier(mint + 1, maxt);
    } catch (IOException e) {
      throw new PromqlException(PromqlException.Kind.EXECUTION, "reading storage: " + e, e);
    }
    SeriesSet set =
        q.select(
            false,
            new SelectHints(mint + 1, Math.max(mint + 1, maxt), steps.step(), func, 0),
            vs.matchers());
    SampleIterator it = null;
    while (set.next()) {
      ctx.checkDeadline();
      var s = set.at();
      it = s.iterator(it);
      buf.n = 0;
      while (it.next()) {
        long t = it.t();
        if (t <= mint) {
          continue;
        }
        if (t > maxt) {
          break;
        }
        double v = it.v();
        if (!keepStale && StaleNaN.is(v)) {
          continue;
        }
        buf.add(t, v);
      }
      consumer.accept(s.labels(), buf);
    }
    ctx.warnings.addAll(set.warnings());
  }

  /** An instant selector: at each step the newest sample within the lookback, unless stale. */
  Vec selectVector(VectorSelector vs) {
    List<Row> rows = new ArrayList<>();
    selectVector(vs, rows::add, true);
    return new Vec(rows);
  }

  /**
   * Hands the rows of vector expression {@code e} to {@code sink} one at a time; selectors and
   * range functions compute each row when it is handed out, so a sink that folds rows (an
   * aggregation) never holds them all. The sink must not keep the rows.
   */
  void stream(Expr e, java.util.function.Consumer<Row> sink) {
    switch (e) {
      case ParenExpr p -> stream(p.expr(), sink);
      case VectorSelector vs -> selectVector(vs, sink, false);
      case Call c when Functions.streams(c) -> Functions.stream(this, c, sink);
      default -> evalVector(e).rows().forEach(sink);
    }
  }

  /** {@code retain}: whether the sink keeps the rows, which then count against the limit. */
  private void selectVector(
      VectorSelector vs, java.util.function.Consumer<Row> sink, boolean retain) {
    int n = steps.count();
    long lookback = ctx.options.lookbackDelta().toMillis();
    long minRef = Long.MAX_VALUE;
    long maxRef = Long.MIN_VALUE;
    for (int i = 0; i < n; i++) {
      long t = refTime(vs.at(), vs.offsetMillis(), i);
      minRef = Math.min(minRef, t);
      maxRef = Math.max(maxRef, t);
    }
    long lo = minRef - lookback;
    forEachSeries(
        vs,
        lo,
        maxRef,
        true,
        "",
        (labels, s) -> {
          Row row = null;
          int j = 0; // first sample after the window's start, moving forward with the steps
          for (int i = 0; i < n; i++) {
            long ref = refTime(vs.at(), vs.offsetMillis(), i);
            while (j < s.n && s.ts[j] <= ref) {
              j++;
            }
            int k = j - 1; // newest sample at or before ref
            if (k < 0 || s.ts[k] <= ref - lookback || StaleNaN.is(s.vs[k])) {
              continue;
            }
            if (row == null) {
              row = new Row(labels, n);
              row.ts = new long[n];
            }
            row.set(i, s.vs[k]);
            row.ts[i] = s.ts[k];
          }
          if (row != null) {
            ctx.addSamples(row.points());
            sink.accept(row);
            if (!retain) {
              ctx.releaseSamples(row.points());
            }
          }
        });
  }

  /**
   * A range argument: the series of a range selector or subquery, each with its samples, and the
   * window each step reads: {@code (ref - range, ref]}.
   */
  RangeArg evalRange(Expr e) {
    return switch (e) {
      case ParenExpr p -> evalRange(p.expr());
      case MatrixSelector m -> selectRange(m);
      case SubqueryExpr s -> subquery(s);
      default ->
          throw new PromqlException(
              PromqlException.Kind.BAD_DATA, "expected a range vector, got " + e.type().promName());
    };
  }

  private RangeArg selectRange(MatrixSelector m) {
    VectorSelector vs = m.selector();
    int n = steps.count();
    long[] refs = new long[n];
    long minRef = Long.MAX_VALUE;
    long maxRef = Long.MIN_VALUE;
    for (int i = 0; i < n; i++) {
      refs[i] = refTime(vs.at(), vs.offsetMillis(), i);
      minRef = Math.min(minRef, refs[i]);
      maxRef = Math.max(maxRef, refs[i]);
    }
    long from = minRef - m.rangeMillis();
    long to = maxRef;
    return new RangeArg(
        consumer ->
            forEachSeries(
                vs,
                from,
                to,
                false,
                "",
                (labels, s) -> {
                  if (s.n > 0) {
                    ctx.addSamples(s.n);
                    consumer.accept(new RangeArg.Series(labels, s.ts, s.vs, s.n, false));
                    ctx.releaseSamples(s.n);
                  }
                }),
        refs,
        m.rangeMillis());
  }

  /**
   * A subquery: the inner expression evaluated as a range query at steps aligned to absolute
   * multiples of the subquery's step, as Prometheus aligns them, over the span the outer steps'
   * windows cover.
   */
  private RangeArg subquery(SubqueryExpr sq) {
    int n = steps.count();
    long[] refs = new long[n];
    long minRef = Long.MAX_VALUE;
    long maxRef = Long.MIN_VALUE;
    for (int i = 0; i < n; i++) {
      refs[i] = refTime(sq.at(), sq.offsetMillis(), i);
      minRef = Math.min(minRef, refs[i]);
      maxRef = Math.max(maxRef, refs[i]);
    }
    long step =
        sq.stepMillis() > 0 ? sq.stepMillis() : ctx.options.defaultSubqueryStep().toMillis();
    long from = minRef - sq.rangeMillis();
    long start = Math.floorDiv(from, step) * step;
    if (start <= from) {
      start += step; // the window is open on the left
    }
    List<RangeArg.Series> series = new ArrayList<>();
    if (start <= maxRef) {
      long end = Math.floorDiv(maxRef, step) * step;
      Steps inner = new Steps(start, end, step, (int) ((end - start) / step) + 1);
      Val v = new Evaluator(ctx, inner).eval(sq.expr());
      List<Row> rows;
      if (v instanceof Num num) {
        double[] vals = num.v();
        Row r = new Row(Labels.EMPTY, vals.length);
        for (int k = 0; k < vals.length; k++) {
          r.set(k, vals[k]);
        }
        rows = List.of(r);
      } else {
        rows = ((Vec) v).rows();
      }
      for (Row r : rows) {
        int cnt = r.points();
        if (cnt == 0) {
          continue;
        }
        long[] ts = new long[cnt];
        double[] vs = new double[cnt];
        int c = 0;
        for (int k = 0; k < r.v.length; k++) {
          if (r.has[k]) {
            ts[c] = inner.time(k);
            vs[c] = r.v[k];
            c++;
          }
        }
        series.add(new RangeArg.Series(r.labels, ts, vs, cnt, r.dropName));
      }
    }
    return new RangeArg(series::forEach, refs, sq.rangeMillis());
  }
}
