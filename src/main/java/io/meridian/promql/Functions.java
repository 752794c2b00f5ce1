package io.meridian.promql;

import io.meridian.model.Labels;
import io.meridian.model.MatchType;
import io.meridian.model.Matcher;
import io.meridian.promql.Val.Num;
import io.meridian.promql.Val.Str;
import io.meridian.promql.Val.Vec;
import io.meridian.promql.parser.Call;
import io.meridian.promql.parser.Expr;
import io.meridian.promql.parser.MatrixSelector;
import io.meridian.promql.parser.ParenExpr;
import io.meridian.promql.parser.SubqueryExpr;
import io.meridian.promql.parser.ValueType;
import io.meridian.promql.parser.VectorSelector;
import io.meridian.util.GoFormat;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.DoubleUnaryOperator;

/** Function calls: dispatch by name to the instant, range, label and histogram functions. */
final class Functions {
  private Functions() {}

  static Val call(Evaluator ev, Call c) {
    String name = c.func().name();
    List<Expr> args = c.args();
    for (int i = 0; i < args.size(); i++) {
      if (c.func().argType(i) == ValueType.MATRIX) {
        return rangeCall(ev, c, i);
      }
    }
    return switch (name) {
      case "time" -> times(ev);
      case "pi" -> ev.constant(Math.PI);
      case "start" -> ev.constant(ev.ctx.queryStart / 1000.0);
      case "end" -> ev.constant(ev.ctx.queryEnd / 1000.0);
      case "step" -> ev.constant(ev.ctx.queryStep / 1000.0);
      case "range" -> ev.constant((ev.ctx.queryEnd - ev.ctx.queryStart) / 1000.0);
      case "min_of", "max_of" -> {
        double[] a = ev.evalScalar(args.get(0)).v();
        double[] b = ev.evalScalar(args.get(1)).v();
        double[] out = new double[a.length];
        for (int i = 0; i < out.length; i++) {
          out[i] = name.equals("min_of") ? Math.min(a[i], b[i]) : Math.max(a[i], b[i]);
        }
        yield new Num(out);
      }
      case "vector" -> vector(ev, ev.evalScalar(args.get(0)));
      case "scalar" -> scalar(ev, ev.evalVector(args.get(0)));
      case "abs" -> math(ev, args, Math::abs);
      case "ceil" -> math(ev, args, Math::ceil);
      case "floor" -> math(ev, args, Math::floor);
      case "exp" -> math(ev, args, Math::exp);
      case "sqrt" -> math(ev, args, Math::sqrt);
      case "ln" -> math(ev, args, Math::log);
      case "log2" -> math(ev, args, Functions::log2);
      case "log10" -> math(ev, args, Math::log10);
      case "sgn" -> math(ev, args, Math::signum);
      case "deg" -> math(ev, args, x -> x * 180 / Math.PI);
      case "rad" -> math(ev, args, x -> x * Math.PI / 180);
      case "sin" -> math(ev, args, Math::sin);
      case "cos" -> math(ev, args, Math::cos);
      case "tan" -> math(ev, args, Math::tan);
      case "asin" -> math(ev, args, Math::asin);
      case "acos" -> math(ev, args, Math::acos);
      case "atan" -> math(ev, args, Math::atan);
      case "sinh" -> math(ev, args, Math::sinh);
      case "cosh" -> math(ev, args, Math::cosh);
      case "tanh" -> math(ev, args, Math::tanh);
      case "asinh" -> math(ev, args, Functions::asinh);
      case "acosh" -> math(ev, args, Functions::acosh);
      case "atanh" -> math(ev, args, Functions::atanh);
      case "round" -> round(ev, args);
      case "clamp" -> clamp(ev, args, true, true);
      case "clamp_min" -> clamp(ev, args, true, false);
      case "clamp_max" -> clamp(ev, args, false, true);
      case "timestamp" -> timestamp(ev, args.get(0));
      case "sort", "sort_desc", "sort_by_label", "sort_by_label_desc" -> Sorting.sort(ev, c);
      case "label_replace" -> LabelFunctions.replace(ev, args);
      case "label_join" -> LabelFunctions.join(ev, args);
      case "absent" -> absent(ev, args.get(0));
      case "histogram_quantile" -> HistogramFunctions.quantile(ev, c);
      case "histogram_fraction" -> HistogramFunctions.fraction(ev, c);
      case "histogram_quantiles" -> HistogramFunctions.quantiles(ev, c);
      case "histogram_count",
          "histogram_sum",
          "histogram_avg",
          "histogram_stddev",
          "histogram_stdvar" -> {
        ev.evalVector(args.get(0)); // native histograms only: float series give nothing
        yield new Vec(List.of());
      }
      case "day_of_month",
          "day_of_week",
          "day_of_year",
          "days_in_month",
          "hour",
          "minute",
          "month",
          "year" ->
          date(ev, name, args);
      default ->
          throw new PromqlException(
              PromqlException.Kind.BAD_DATA, "function \"" + name + "\" is not supported yet");
    };
  }

  private static Num times(Evaluator ev) {
    double[] out = new double[ev.steps.count()];
    for (int i = 0; i < out.length; i++) {
      out[i] = ev.steps.time(i) / 1000.0;
    }
    return new Num(out);
  }

  private static Vec vector(Evaluator ev, Num s) {
    Row r = new Row(Labels.EMPTY, ev.steps.count());
    for (int i = 0; i < s.v().length; i++) {
      r.set(i, s.v()[i]);
    }
    return new Vec(List.of(r));
  }

  private static Num scalar(Evaluator ev, Vec v) {
    double[] out = new double[ev.steps.count()];
    for (int i = 0; i < out.length; i++) {
      int n = 0;
      double x = Double.NaN;
      for (Row r : v.rows()) {
        if (r.has[i]) {
          n++;
          x = r.v[i];
        }
      }
      out[i] = n == 1 ? x : Double.NaN;
    }
    return new Num(out);
  }

  /** Applies {@code f} to every value; the result loses the metric name. */
  private static Vec math(Evaluator ev, List<Expr> args, DoubleUnaryOperator f) {
    Vec v = ev.evalVector(args.get(0));
    for (Row r : v.rows()) {
      for (int i = 0; i < r.v.length; i++) {
        if (r.has[i]) {
          r.v[i] = f.applyAsDouble(r.v[i]);
        }
      }
      r.dropName = true;
      r.ts = null;
    }
    return v;
  }

  /** Go's math.Log2: exact for powers of two. */
  static double log2(double x) {
    if (x > 0 && !Double.isInfinite(x) && !Double.isNaN(x)) {
      int exp = Math.getExponent(x);
      if (exp >= Double.MIN_EXPONENT && x == Math.scalb(1.0, exp)) {
        return exp;
      }
    }
    return Math.log(x) / Math.log(2);
  }

  static double asinh(double x) {
    if (Double.isInfinite(x) || Double.isNaN(x) || x == 0) {
      return x;
    }
    double a = Math.abs(x);
    double r =
        a > 1e8 ? Math.log(a) + Math.log(2) : Math.log1p(a + a * a / (1 + Math.sqrt(1 + a * a)));
    return Math.copySign(r, x);
  }

  static double acosh(double x) {
    if (x < 1 || Double.isNaN(x)) {
      return Double.NaN;
    }
    if (x == 1) {
      return 0;
    }
    if (x > 1e8) {
      return Math.log(x) + Math.log(2);
    }
    double t = x - 1;
    return Math.log1p(t + Math.sqrt(2 * t + t * t));
  }

  static double atanh(double x) {
    if (x < -1 || x > 1 || Double.isNaN(x)) {
      return Double.NaN;
    }
    if (x == 1) {
      return Double.POSITIVE_INFINITY;
    }
    if (x == -1) {
      return Double.NEGATIVE_INFINITY;
    }
    return 0.5 * Math.log1p(2 * x / (1 - x));
  }

  private static Vec round(Evaluator ev, List<Expr> args) {
    double[] to = args.size() > 1 ? ev.evalScalar(args.get(1)).v() : null;
    Vec v = ev.evalVector(args.get(0));
    for (Row r : v.rows()) {
      for (int i = 0; i < r.v.length; i++) {
        if (r.has[i]) {
          double inverse = 1.0 / (to == null ? 1 : to[i]);
          r.v[i] = Math.floor(r.v[i] * inverse + 0.5) / inverse;
        }
      }
      r.dropName = true;
      r.ts = null;
    }
    return v;
  }

  private static Vec clamp(Evaluator ev, List<Expr> args, boolean hasMin, boolean hasMax) {
    Vec v = ev.evalVector(args.get(0));
    double[] min = hasMin ? ev.evalScalar(args.get(1)).v() : null;
    double[] max = hasMax ? ev.evalScalar(args.get(hasMin ? 2 : 1)).v() : null;
    List<Row> out = new ArrayList<>();
    for (Row r : v.rows()) {
      for (int i = 0; i < r.v.length; i++) {
        if (!r.has[i]) {
          continue;
        }
        if (hasMin && hasMax && max[i] < min[i]) {
          r.has[i] = false; // clamp with max below min yields nothing
          continue;
        }
        double x = r.v[i];
        if (hasMax) {
          x = Math.min(max[i], x);
        }
        if (hasMin) {
          x = Math.max(min[i], x);
        }
        r.v[i] = x;
      }
      r.dropName = true;
      r.ts = null;
      if (!r.empty()) {
        out.add(r);
      }
    }
    return new Vec(out);
  }

  private static Vec timestamp(Evaluator ev, Expr arg) {
    Vec v = ev.evalVector(arg);
    for (Row r : v.rows()) {
      for (int i = 0; i < r.v.length; i++) {
        if (r.has[i]) {
          r.v[i] = (r.ts != null ? r.ts[i] : ev.steps.time(i)) / 1000.0;
        }
      }
      r.ts = null;
      r.dropName = true;
    }
    return v;
  }

  /** Labels absent() gives its output: the equality matchers, except a name given twice. */
  static Labels absentLabels(Expr e) {
    while (e instanceof ParenExpr p) {
      e = p.expr();
    }
    List<Matcher> ms;
    if (e instanceof VectorSelector vs) {
      ms = vs.matchers();
    } else if (e instanceof MatrixSelector m) {
      ms = m.selector().matchers();
    } else {
      return Labels.EMPTY;
    }
    Labels.Builder b = Labels.builder();
    Set<String> has = new HashSet<>();
    for (Matcher m : ms) {
      if (m.name().equals(Labels.METRIC_NAME)) {
        continue;
      }
      if (m.type() == MatchType.EQUAL && has.add(m.name())) {
        b.set(m.name(), m.value());
      } else {
        b.del(m.name());
      }
    }
    return b.build();
  }

  private static Vec absent(Evaluator ev, Expr arg) {
    Vec v = ev.evalVector(arg);
    int n = ev.steps.count();
    Row out = new Row(absentLabels(arg), n);
    for (int i = 0; i < n; i++) {
      boolean any = false;
      for (Row r : v.rows()) {
        any |= r.has[i];
      }
      if (!any) {
        out.set(i, 1);
      }
    }
    return new Vec(out.empty() ? List.of() : List.of(out));
  }

  private static Vec date(Evaluator ev, String name, List<Expr> args) {
    Vec v = args.isEmpty() ? vector(ev, times(ev)) : ev.evalVector(args.get(0));
    for (Row r : v.rows()) {
      for (int i = 0; i < r.v.length; i++) {
        if (r.has[i]) {
          r.v[i] = datePart(name, r.v[i]);
        }
      }
      r.dropName = true;
      r.ts = null;
    }
    return v;
  }

  static double datePart(String name, double seconds) {
    if (Double.isNaN(seconds) || Double.isInfinite(seconds)) {
      return Double.NaN;
    }
    ZonedDateTime t = Instant.ofEpochSecond((long) seconds).atZone(ZoneOffset.UTC);
    return switch (name) {
      case "day_of_month" -> t.getDayOfMonth();
      case "day_of_week" -> t.getDayOfWeek().getValue() % 7;
      case "day_of_year" -> t.getDayOfYear();
      case "days_in_month" -> LocalDate.from(t).lengthOfMonth();
      case "hour" -> t.getHour();
      case "minute" -> t.getMinute();
      case "month" -> t.getMonthValue();
      case "year" -> t.getYear();
      default -> throw new IllegalArgumentException(name);
    };
  }

  /** A function with a range vector argument, evaluated window by window per series. */
  private static Val rangeCall(Evaluator ev, Call c, int rangeArg) {
    String name = c.func().name();
    List<Expr> args = c.args();
    double[][] scalars = scalarArgs(ev, c, rangeArg);
    RangeArg r = ev.evalRange(args.get(rangeArg));
    int n = ev.steps.count();
    if (name.equals("absent_over_time")) {
      boolean[] any = new boolean[n];
      RangeArg.Window w = new RangeArg.Window();
      r.forEach(s -> {
        w.lo = 0;
        w.hi = 0;
        for (int i = 0; i < n; i++) {
          w.move(s, r.refs[i], r.range);
          any[i] |= w.size() > 0;
        }
      });
      Row out = new Row(absentLabels(args.get(rangeArg)), n);
      for (int i = 0; i < n; i++) {
        if (!any[i]) {
          out.set(i, 1);
        }
      }
      return new Vec(out.empty() ? List.of() : List.of(out));
    }
    List<Row> out = new ArrayList<>();
    stream(ev, c, rangeArg, scalars, r, out::add);
    return new Vec(out);
  }

  /** Whether {@code c}'s rows can be handed out one at a time ({@link #stream}). */
  static boolean streams(Call c) {
    return rangeArgument(c) >= 0 && !c.func().name().equals("absent_over_time");
  }

  private static int rangeArgument(Call c) {
    for (int i = 0; i < c.args().size(); i++) {
      if (c.func().argType(i) == ValueType.MATRIX) {
        return i;
      }
    }
    return -1;
  }

  /**
   * Evaluates a range function series by series, handing each output row to {@code sink} as it is
   * computed, so a consumer that folds rows (an aggregation) never holds them all.
   */
  static void stream(Evaluator ev, Call c, java.util.function.Consumer<Row> sink) {
    int rangeArg = rangeArgument(c);
    double[][] scalars = scalarArgs(ev, c, rangeArg);
    stream(ev, c, rangeArg, scalars, ev.evalRange(c.args().get(rangeArg)), sink);
  }

  private static double[][] scalarArgs(Evaluator ev, Call c, int rangeArg) {
    List<Expr> args = c.args();
    double[][] scalars = new double[args.size()][];
    for (int i = 0; i < args.size(); i++) {
      if (i != rangeArg && c.func().argType(i) == ValueType.SCALAR) {
        scalars[i] = ev.evalScalar(args.get(i)).v();
      }
    }
    return scalars;
  }

  private static void stream(
      Evaluator ev,
      Call c,
      int rangeArg,
      double[][] scalars,
      RangeArg r,
      java.util.function.Consumer<Row> sink) {
    String name = c.func().name();
    List<Expr> args = c.args();
    int n = ev.steps.count();
    boolean keepName = name.equals("last_over_time") || name.equals("first_over_time");
    boolean counterCheck = name.equals("rate") || name.equals("increase");
    if (name.equals("double_exponential_smoothing") || name.equals("holt_winters")) {
      checkSmoothing(scalars[1], "smoothing");
      checkSmoothing(scalars[2], "trend");
    }
    if (name.equals("quantile_over_time")) {
      for (double q : scalars[0]) {
        if (!(q >= 0 && q <= 1)) {
          ev.ctx.warn(
              "quantile value should be between 0 and 1, got " + GoFormat.g(q), args.get(0).pos());
          break;
        }
      }
    }
    RangeArg.Window w = new RangeArg.Window();
    r.forEach(s -> {
      ev.ctx.checkDeadline();
      Row row = null;
      w.lo = 0;
      w.hi = 0;
      for (int i = 0; i < n; i++) {
        w.move(s, r.refs[i], r.range);
        if (w.size() == 0) {
          continue;
        }
        double v = apply(name, s, w.lo, w.hi, r, i, scalars, ev);
        if (RangeFunctions.isNone(v)) {
          continue;
        }
        if (row == null) {
          row = new Row(s.labels, n);
          row.dropName = !keepName || s.dropName;
        }
        row.set(i, v);
      }
      if (row != null) {
        if (counterCheck) {
          checkCounterName(ev, s.labels, args.get(rangeArg).pos());
        }
        sink.accept(row);
      }
    });
  }

  private static void checkCounterName(Evaluator ev, Labels labels, int pos) {
    String metric = labels.metricName();
    if (metric != null
        && !metric.endsWith("_total")
        && !metric.endsWith("_sum")
        && !metric.endsWith("_count")
        && !metric.endsWith("_bucket")) {
      ev.ctx.info(
          "metric might not be a counter, name does not end in _total/_sum/_count/_bucket: "
              + GoFormat.quote(metric),
          pos);
    }
  }

  private static void checkSmoothing(double[] f, String what) {
    for (double x : f) {
      if (!(x > 0 && x < 1)) {
        throw new PromqlException(
            PromqlException.Kind.EXECUTION,
            "invalid "
                + what
                + " factor. Expected: 0 < "
                + (what.equals("smoothing") ? "sf" : "tf")
                + " < 1, got: "
                + String.format(java.util.Locale.ROOT, "%f", x));
      }
    }
  }

  private static double apply(
      String name,
      RangeArg.Series s,
      int lo,
      int hi,
      RangeArg r,
      int step,
      double[][] scalars,
      Evaluator ev) {
    long[] ts = s.ts;
    double[] vs = s.vs;
    long ref = r.refs[step];
    return switch (name) {
      case "rate" ->
          RangeFunctions.extrapolatedRate(
              ts, vs, lo, hi, ref - r.range, ref, r.range, true, true, s.hasResets(lo, hi));
      case "increase" ->
          RangeFunctions.extrapolatedRate(
              ts, vs, lo, hi, ref - r.range, ref, r.range, true, false, s.hasResets(lo, hi));
      case "delta" ->
          RangeFunctions.extrapolatedRate(
              ts, vs, lo, hi, ref - r.range, ref, r.range, false, false, false);
      case "irate" -> RangeFunctions.instantValue(ts, vs, lo, hi, true);
      case "idelta" -> RangeFunctions.instantValue(ts, vs, lo, hi, false);
      case "deriv" ->
          hi - lo < 2
              ? RangeFunctions.NONE
              : RangeFunctions.linearRegression(ts, vs, lo, hi, ts[lo])[0];
      case "predict_linear" -> {
        if (hi - lo < 2) {
          yield RangeFunctions.NONE;
        }
        double[] si = RangeFunctions.linearRegression(ts, vs, lo, hi, ev.steps.time(step));
        yield si[0] * scalars[1][step] + si[1];
      }
      case "changes" -> RangeFunctions.changes(vs, lo, hi);
      case "resets" -> RangeFunctions.resets(vs, lo, hi);
      case "avg_over_time" -> RangeFunctions.avg(vs, lo, hi);
      case "sum_over_time" -> RangeFunctions.sum(vs, lo, hi);
      case "count_over_time" -> hi - lo;
      case "min_over_time" -> RangeFunctions.min(vs, lo, hi);
      case "max_over_time" -> RangeFunctions.max(vs, lo, hi);
      case "last_over_time" -> vs[hi - 1];
      case "first_over_time" -> vs[lo];
      case "ts_of_last_over_time" -> ts[hi - 1] / 1000.0;
      case "ts_of_first_over_time" -> ts[lo] / 1000.0;
      case "ts_of_min_over_time" -> RangeFunctions.timeOfExtreme(ts, vs, lo, hi, false);
      case "ts_of_max_over_time" -> RangeFunctions.timeOfExtreme(ts, vs, lo, hi, true);
      case "stddev_over_time" -> Math.sqrt(RangeFunctions.stdvar(vs, lo, hi));
      case "stdvar_over_time" -> RangeFunctions.stdvar(vs, lo, hi);
      case "mad_over_time" -> RangeFunctions.mad(vs, lo, hi);
      case "present_over_time" -> 1;
      case "quantile_over_time" ->
          Aggregations.quantile(scalars[0][step], Arrays.copyOfRange(vs, lo, hi), hi - lo);
      case "double_exponential_smoothing", "holt_winters" ->
          RangeFunctions.doubleExponentialSmoothing(vs, lo, hi, scalars[1][step], scalars[2][step]);
      default ->
          throw new PromqlException(
              PromqlException.Kind.BAD_DATA, "function \"" + name + "\" is not supported yet");
    };
  }

  /** Whether an expression is a range selector or subquery, maybe in parentheses. */
  static boolean isRange(Expr e) {
    while (e instanceof ParenExpr p) {
      e = p.expr();
    }
    return e instanceof MatrixSelector || e instanceof SubqueryExpr;
  }

  static Str string(Evaluator ev, Expr e) {
    return (Str) ev.eval(e);
  }
}
