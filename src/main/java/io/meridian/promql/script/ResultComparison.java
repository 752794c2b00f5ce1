package io.meridian.promql.script;

import io.meridian.model.Labels;
import io.meridian.promql.Matrix;
import io.meridian.promql.QueryResult;
import io.meridian.promql.RangeSeries;
import io.meridian.promql.Sample;
import io.meridian.promql.Scalar;
import io.meridian.promql.StringValue;
import io.meridian.promql.Value;
import io.meridian.promql.Vector;
import io.meridian.util.AlmostEqual;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Compares a query's outcome with what an {@code eval} expects, by the rules of Prometheus's
 * runner: floats equal within a relative error of 1e-6 (NaN equals NaN, infinities equal by sign),
 * series matched by their labels in any order unless {@code expect ordered}, a matrix compared
 * point by point at {@code start + i*step}. Each check throws {@link EvalFailure} saying what
 * differs.
 */
final class ResultComparison {
  /** The relative error allowed between an expected and an actual float. */
  static final double EPSILON = 1e-6;

  private ResultComparison() {}

  /** The error of a query that was to fail, against the {@code expect fail} line. */
  static void checkFailure(Command.Eval ev, String error) {
    for (Expect e : ev.expects(Expect.Type.FAIL)) {
      if (!e.matches(error)) {
        throw new EvalFailure(
            "expected error matching "
                + (e.message() != null
                    ? "\"" + e.message() + "\""
                    : "/" + e.regex().pattern() + "/")
                + " but got: "
                + error);
      }
    }
  }

  /** Warnings and infos against the {@code expect warn|info|no_warn|no_info} lines. */
  static void checkAnnotations(Command.Eval ev, QueryResult r) {
    checkAnnotationsOfType(ev.expects(Expect.Type.WARN), r.warnings(), "warn", r);
    checkAnnotationsOfType(ev.expects(Expect.Type.INFO), r.infos(), "info", r);
    if (!ev.expects(Expect.Type.NO_WARN).isEmpty() && !r.warnings().isEmpty()) {
      throw new EvalFailure("unexpected warning annotations: " + r.warnings());
    }
    if (!ev.expects(Expect.Type.NO_INFO).isEmpty() && !r.infos().isEmpty()) {
      throw new EvalFailure("unexpected info annotations: " + r.infos());
    }
  }

  private static void checkAnnotationsOfType(
      List<Expect> expected, List<String> actual, String type, QueryResult r) {
    if (expected.isEmpty()) {
      return;
    }
    if (actual.isEmpty()) {
      throw new EvalFailure("expected " + type + " annotations but none were found");
    }
    for (Expect e : expected) {
      if (actual.stream().noneMatch(e::matches)) {
        throw new EvalFailure(
            "expected "
                + type
                + " annotation matching "
                + (e.message() != null
                    ? "message \"" + e.message() + "\""
                    : "pattern \"" + e.regex().pattern() + "\"")
                + " but no matching annotation was found, found: warnings "
                + r.warnings()
                + " infos "
                + r.infos());
      }
    }
    for (String a : actual) {
      if (expected.stream().noneMatch(e -> e.matches(a))) {
        throw new EvalFailure("unexpected " + type + " annotation \"" + a + "\"");
      }
    }
  }

  /** The query's value against the expected series, scalar or string. */
  static void compare(Command.Eval ev, Value value) {
    switch (value) {
      case Matrix m -> compareMatrix(ev, m);
      case Vector v -> compareVector(ev, v);
      case Scalar s -> {
        if (ev.scalar() == null) {
          throw new EvalFailure(
              "expected vector or matrix result, but got scalar " + GoNumbers.format(s.v()));
        }
        if (!AlmostEqual.equal(ev.scalar(), s.v(), EPSILON)) {
          throw new EvalFailure(
              "expected scalar "
                  + GoNumbers.format(ev.scalar())
                  + " but got "
                  + GoNumbers.format(s.v()));
        }
      }
      case StringValue s -> {
        String expected = ev.string() == null ? "" : ev.string();
        if (!expected.equals(s.v())) {
          throw new EvalFailure("expected string \"" + expected + "\" but got \"" + s.v() + "\"");
        }
      }
    }
  }

  private static Map<Labels, SeriesLine> expectedByLabels(Command.Eval ev) {
    Map<Labels, SeriesLine> out = new HashMap<>();
    for (SeriesLine s : ev.series()) {
      out.put(s.labels(), s);
    }
    return out;
  }

  private static void compareMatrix(Command.Eval ev, Matrix m) {
    if (ev.ordered()) {
      throw new EvalFailure("expected ordered result, but query returned a matrix");
    }
    if (ev.scalar() != null) {
      throw new EvalFailure("expected scalar result, but got matrix " + format(m));
    }
    assertSorted(m);
    Map<Labels, SeriesLine> expected = expectedByLabels(ev);
    Set<Labels> seen = new HashSet<>();
    for (RangeSeries s : m.series()) {
      SeriesLine exp = expected.get(s.labels());
      if (exp == null) {
        throw new EvalFailure("unexpected metric " + s.labels() + " in result, has " + points(s));
      }
      seen.add(s.labels());
      List<Long> times = new ArrayList<>();
      List<Double> values = new ArrayList<>();
      for (int i = 0; i < exp.values().size(); i++) {
        long t = ev.start() + i * ev.step();
        if (t > ev.end()) {
          throw new EvalFailure(
              "expected "
                  + exp.values().size()
                  + " points for "
                  + exp.labels()
                  + ", but query time range cannot return this many points");
        }
        SequenceValue v = exp.values().get(i);
        if (!v.omitted()) {
          times.add(t);
          values.add(v.value());
        }
      }
      if (times.size() != s.size()) {
        throw new EvalFailure(
            "expected "
                + times.size()
                + " float points for "
                + exp.labels()
                + ", but got "
                + points(s));
      }
      for (int i = 0; i < times.size(); i++) {
        long t = times.get(i);
        if (s.t(i) != t) {
          throw new EvalFailure(
              "expected float value at index "
                  + i
                  + " for "
                  + exp.labels()
                  + " to have timestamp "
                  + t
                  + ", but it had timestamp "
                  + s.t(i)
                  + " (result has "
                  + points(s)
                  + ")");
        }
        if (!AlmostEqual.equal(s.v(i), values.get(i), EPSILON)) {
          throw new EvalFailure(
              "expected float value at index "
                  + i
                  + " (t="
                  + t
                  + ") for "
                  + exp.labels()
                  + " to be "
                  + GoNumbers.format(values.get(i))
                  + ", but got "
                  + GoNumbers.format(s.v(i))
                  + " (result has "
                  + points(s)
                  + ")");
        }
      }
    }
    for (SeriesLine exp : ev.series()) {
      if (!seen.contains(exp.labels())) {
        throw new EvalFailure("expected metric " + exp.labels() + " not found");
      }
    }
  }

  private static void compareVector(Command.Eval ev, Vector v) {
    if (ev.scalar() != null) {
      throw new EvalFailure("expected scalar result, but got vector " + format(v));
    }
    Map<Labels, SeriesLine> expected = expectedByLabels(ev);
    List<SeriesLine> order = ev.series();
    Set<Labels> seen = new HashSet<>();
    for (int pos = 0; pos < v.samples().size(); pos++) {
      Sample s = v.samples().get(pos);
      SeriesLine exp = expected.get(s.labels());
      if (exp == null) {
        throw new EvalFailure(
            "unexpected metric " + s.labels() + " in result, has value " + GoNumbers.format(s.v()));
      }
      if (ev.ordered() && order.indexOf(exp) != pos) {
        throw new EvalFailure(
            "expected metric "
                + s.labels()
                + " with "
                + exp.values()
                + " at position "
                + (order.indexOf(exp) + 1)
                + " but was at "
                + (pos + 1));
      }
      if (exp.values().isEmpty() || exp.values().getFirst().omitted()) {
        throw new EvalFailure(
            "expected no value for " + exp.labels() + " but got " + GoNumbers.format(s.v()));
      }
      double want = exp.values().getFirst().value();
      if (!AlmostEqual.equal(want, s.v(), EPSILON)) {
        throw new EvalFailure(
            "expected "
                + GoNumbers.format(want)
                + " for "
                + s.labels()
                + " but got "
                + GoNumbers.format(s.v()));
      }
      seen.add(s.labels());
    }
    for (SeriesLine exp : order) {
      if (!seen.contains(exp.labels())) {
        throw new EvalFailure(
            "expected metric " + exp.labels() + " with " + exp.values() + " not found");
      }
    }
  }

  /** A matrix's series must come sorted by labels, as Prometheus returns them. */
  static void assertSorted(Matrix m) {
    List<RangeSeries> s = m.series();
    for (int i = 0; i + 1 < s.size(); i++) {
      if (s.get(i).labels().compareTo(s.get(i + 1).labels()) > 0) {
        throw new EvalFailure(
            "matrix results should always be sorted by labels, but matrix is not sorted: series at"
                + " index "
                + (i + 1)
                + " with labels "
                + s.get(i + 1).labels()
                + " sorts before series at index "
                + i
                + " with labels "
                + s.get(i).labels());
      }
    }
  }

  private static String points(RangeSeries s) {
    StringBuilder b = new StringBuilder();
    b.append(s.size()).append(s.size() == 1 ? " float point [" : " float points [");
    for (int i = 0; i < s.size(); i++) {
      if (i > 0) {
        b.append(' ');
      }
      b.append(GoNumbers.format(s.v(i))).append(" @[").append(s.t(i)).append(']');
    }
    return b.append(']').toString();
  }

  /** A value in a short readable form, for messages. */
  static String format(Value value) {
    return switch (value) {
      case Scalar s -> "scalar: " + GoNumbers.format(s.v()) + " @[" + s.t() + "]";
      case StringValue s -> "string: \"" + s.v() + "\" @[" + s.t() + "]";
      case Vector v -> {
        StringBuilder b = new StringBuilder();
        for (Sample s : v.samples()) {
          b.append(s.labels()).append(" => ").append(GoNumbers.format(s.v()));
          b.append(" @[").append(s.t()).append("]\n");
        }
        yield b.toString().strip();
      }
      case Matrix m -> {
        StringBuilder b = new StringBuilder();
        for (RangeSeries s : m.series()) {
          b.append(s.labels()).append(" => ").append(points(s)).append('\n');
        }
        yield b.toString().strip();
      }
    };
  }
}
