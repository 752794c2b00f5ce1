package io.meridian.promql;

import io.meridian.model.Labels;
import io.meridian.promql.Val.Vec;
import io.meridian.promql.parser.Call;
import io.meridian.util.AlmostEqual;
import io.meridian.util.GoFormat;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * histogram_quantile and histogram_fraction over classic histograms: series with an {@code le}
 * label, grouped by their other labels, one group per output series.
 */
final class HistogramFunctions {
  private HistogramFunctions() {}

  private static final double SMALL_DELTA = 1e-12;

  static Vec quantile(Evaluator ev, Call c) {
    double[] q = ev.evalScalar(c.args().get(0)).v();
    Vec v = ev.evalVector(c.args().get(1));
    for (double x : q) {
      if (!(x >= 0 && x <= 1)) {
        ev.ctx.warn(
            "quantile value should be between 0 and 1, got " + GoFormat.g(x),
            c.args().get(0).pos());
        break;
      }
    }
    return compute(
        ev, c, 1, v, (i, ub, cnt, n, name) -> bucketQuantile(ev, c, 1, q[i], ub, cnt, n, name));
  }

  /**
   * histogram_quantiles(v, "label", q1, q2, ...): one histogram_quantile per q, each series
   * labelled with its q ({@code 0.5}, {@code 1.0}, {@code NaN}).
   */
  static Vec quantiles(Evaluator ev, Call c) {
    Vec v = ev.evalVector(c.args().get(0));
    String label = Functions.string(ev, c.args().get(1)).s();
    List<Row> all = new ArrayList<>();
    for (int k = 2; k < c.args().size(); k++) {
      double[] q = ev.evalScalar(c.args().get(k)).v();
      for (double x : q) {
        if (!(x >= 0 && x <= 1)) {
          ev.ctx.warn(
              "quantile value should be between 0 and 1, got " + GoFormat.g(x),
              c.args().get(k).pos());
          break;
        }
      }
      String value = quantileLabel(q[0]);
      Vec out =
          compute(
              ev,
              c,
              0,
              v,
              (i, ub, cnt, n, name) -> bucketQuantile(ev, c, 0, q[i], ub, cnt, n, name));
      for (Row r : out.rows()) {
        r.labels = r.labels.toBuilder().set(label, value).build();
        all.add(r);
      }
    }
    return LabelFunctions.checkUnique(new Vec(all));
  }

  /** A quantile as a label value: shortest digits, with a ".0" when it is whole ({@code 1.0}). */
  static String quantileLabel(double q) {
    String s = GoFormat.f(q);
    return Double.isNaN(q) || Double.isInfinite(q) || s.contains(".") ? s : s + ".0";
  }

  static Vec fraction(Evaluator ev, Call c) {
    double[] lower = ev.evalScalar(c.args().get(0)).v();
    double[] upper = ev.evalScalar(c.args().get(1)).v();
    Vec v = ev.evalVector(c.args().get(2));
    return compute(
        ev, c, 2, v, (i, ub, cnt, n, name) -> bucketFraction(lower[i], upper[i], ub, cnt, n));
  }

  private interface BucketFn {
    double apply(int step, double[] bounds, double[] counts, int n, String metric);
  }

  /** Groups {@code v}'s buckets into histograms ({@code argIndex}: where v is in the call). */
  private static Vec compute(Evaluator ev, Call c, int argIndex, Vec v, BucketFn fn) {
    Map<Labels, List<Row>> byLabels = new LinkedHashMap<>();
    Map<Labels, List<Double>> boundsOf = new LinkedHashMap<>();
    for (Row r : v.rows()) {
      String le = r.labels.get("le");
      double bound = parseBound(le);
      if (Double.isNaN(bound)) {
        String metric = r.labels.metricName();
        ev.ctx.warn(
            "bucket label \"le\" is missing or has a malformed value of "
                + GoFormat.quote(le == null ? "" : le)
                + " for metric name "
                + GoFormat.quote(metric == null ? "" : metric),
            c.args().get(argIndex).pos());
        continue;
      }
      // The name stays until the end (delayed name removal): two histograms differing only in
      // their names are two groups, and collide there, as in Prometheus.
      Labels key = r.labels.toBuilder().del("le").build();
      byLabels.computeIfAbsent(key, k -> new ArrayList<>()).add(r);
      boundsOf.computeIfAbsent(key, k -> new ArrayList<>()).add(bound);
    }
    int steps = ev.steps.count();
    List<Row> out = new ArrayList<>();
    for (Map.Entry<Labels, List<Row>> g : byLabels.entrySet()) {
      List<Row> rows = g.getValue();
      List<Double> bs = boundsOf.get(g.getKey());
      String metric = rows.get(0).labels.metricName();
      Row o = new Row(g.getKey(), steps);
      o.dropName = true;
      double[] ub = new double[rows.size()];
      double[] cnt = new double[rows.size()];
      for (int i = 0; i < steps; i++) {
        int n = 0;
        for (int k = 0; k < rows.size(); k++) {
          Row r = rows.get(k);
          if (r.has[i]) {
            ub[n] = bs.get(k);
            cnt[n] = r.v[i];
            n++;
          }
        }
        if (n == 0) {
          continue;
        }
        o.set(i, fn.apply(i, ub, cnt, n, metric == null ? "" : metric));
      }
      if (!o.empty()) {
        out.add(o);
      }
    }
    return new Vec(out);
  }

  private static double parseBound(String le) {
    if (le == null) {
      return Double.NaN;
    }
    try {
      return switch (le) {
        case "+Inf", "Inf", "+inf", "inf" -> Double.POSITIVE_INFINITY;
        case "-Inf", "-inf" -> Double.NEGATIVE_INFINITY;
        default -> Double.parseDouble(le.trim().equals(le) ? le : "x");
      };
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }

  /** Sorts the buckets by bound and merges buckets with the same bound; returns the new count. */
  private static int sortAndCoalesce(double[] ub, double[] cnt, int n) {
    Integer[] idx = new Integer[n];
    for (int i = 0; i < n; i++) {
      idx[i] = i;
    }
    Arrays.sort(idx, (a, b) -> Double.compare(ub[a], ub[b]));
    double[] u = new double[n];
    double[] c = new double[n];
    for (int i = 0; i < n; i++) {
      u[i] = ub[idx[i]];
      c[i] = cnt[idx[i]];
    }
    int k = 0;
    for (int i = 0; i < n; i++) {
      if (k > 0 && u[i] == ub[k - 1]) {
        cnt[k - 1] += c[i];
      } else {
        ub[k] = u[i];
        cnt[k] = c[i];
        k++;
      }
    }
    return k;
  }

  /**
   * Makes counts monotonic as Prometheus does: differences within a relative 1e-12 are floating
   * point noise and silently evened out; real decreases are evened out and reported.
   */
  private static boolean ensureMonotonic(double[] cnt, int n) {
    boolean forced = false;
    double prev = cnt[0];
    for (int i = 1; i < n; i++) {
      double cur = cnt[i];
      if (cur == prev) {
        continue;
      }
      if (AlmostEqual.equal(prev, cur, SMALL_DELTA)) {
        cnt[i] = prev;
        continue;
      }
      if (cur < prev) {
        cnt[i] = prev;
        forced = true;
        continue;
      }
      prev = cur;
    }
    return forced;
  }

  private static double bucketQuantile(
      Evaluator ev,
      Call c,
      int argIndex,
      double q,
      double[] ub,
      double[] cnt,
      int n,
      String metric) {
    if (Double.isNaN(q)) {
      return Double.NaN;
    }
    if (q < 0) {
      return Double.NEGATIVE_INFINITY;
    }
    if (q > 1) {
      return Double.POSITIVE_INFINITY;
    }
    n = sortAndCoalesce(ub, cnt, n);
    if (ub[n - 1] != Double.POSITIVE_INFINITY) {
      return Double.NaN;
    }
    if (ensureMonotonic(cnt, n)) {
      ev.ctx.info(
          "input to histogram_quantile needed to be fixed for monotonicity (see"
              + " https://prometheus.io/docs/prometheus/latest/querying/functions/#histogram_quantile)"
              + " for metric name "
              + GoFormat.quote(metric),
          c.args().get(argIndex).pos());
    }
    if (n < 2) {
      return Double.NaN;
    }
    double observations = cnt[n - 1];
    if (observations == 0) {
      return Double.NaN;
    }
    double rank = q * observations;
    int b = 0;
    while (b < n - 1 && !(cnt[b] >= rank)) {
      b++;
    }
    if (b == n - 1) {
      return ub[n - 2];
    }
    if (b == 0 && ub[0] <= 0) {
      return ub[0];
    }
    double start = 0;
    double end = ub[b];
    double count = cnt[b];
    if (b > 0) {
      start = ub[b - 1];
      count -= cnt[b - 1];
      rank -= cnt[b - 1];
    }
    return start + (end - start) * (rank / count);
  }

  /**
   * The cumulative count at {@code v} inside bucket {@code (lowerBound, upperBound]}: linear in
   * between. A bucket of infinite width cannot be interpolated in, so a position inside it counts
   * none of it: the lowest bucket's all, the +Inf bucket's nothing.
   */
  private static double position(
      double v, double lowerBound, double upperBound, double rankBefore, double rankAfter) {
    if (lowerBound == Double.NEGATIVE_INFINITY) {
      return rankAfter;
    }
    if (upperBound == Double.POSITIVE_INFINITY) {
      return rankBefore;
    }
    return rankBefore + (rankAfter - rankBefore) * (v - lowerBound) / (upperBound - lowerBound);
  }

  private static double bucketFraction(
      double lower, double upper, double[] ub, double[] cnt, int n) {
    n = sortAndCoalesce(ub, cnt, n);
    if (ub[n - 1] != Double.POSITIVE_INFINITY) {
      return Double.NaN;
    }
    double count = cnt[n - 1];
    if (count == 0 || Double.isNaN(lower) || Double.isNaN(upper)) {
      return Double.NaN;
    }
    if (lower >= upper) {
      return 0;
    }
    double rank = 0;
    double lowerRank = 0;
    double upperRank = 0;
    boolean lowerSet = false;
    boolean upperSet = false;
    for (int i = 0; i < n; i++) {
      double lowerBound = i > 0 ? ub[i - 1] : Double.NEGATIVE_INFINITY;
      double upperBound = ub[i];
      if (i == 0 && upperBound > 0) {
        lowerBound = 0; // the first bucket of a classic histogram starts at zero when positive
      }
      if (!lowerSet && lowerBound >= lower) {
        lowerRank = rank;
        lowerSet = true;
      }
      if (!upperSet && lowerBound >= upper) {
        upperRank = rank;
        upperSet = true;
      }
      if (lowerSet && upperSet) {
        break;
      }
      if (!lowerSet && lowerBound < lower && upperBound > lower) {
        lowerRank = position(lower, lowerBound, upperBound, rank, cnt[i]);
        lowerSet = true;
      }
      if (!upperSet && lowerBound < upper && upperBound > upper) {
        upperRank = position(upper, lowerBound, upperBound, rank, cnt[i]);
        upperSet = true;
      }
      if (lowerSet && upperSet) {
        break;
      }
      rank = cnt[i];
    }
    if (!lowerSet || lowerRank > count) {
      lowerRank = count;
    }
    if (!upperSet || upperRank > count) {
      upperRank = count;
    }
    return (upperRank - lowerRank) / count;
  }
}
