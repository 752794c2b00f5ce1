package io.meridian.promql;

import com.fasterxml.jackson.databind.JsonNode;
import io.meridian.promql.parser.ParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * A query's answer in the one form both Meridian's {@link Value}s and Prometheus's API JSON convert
 * to, so the two can be compared: a result type and series of points (a scalar is one series with
 * no labels and one point, an instant vector one point per series), or an error with the API's
 * error type ({@code bad_data}, {@code execution}, ...).
 *
 * @param type {@code scalar}, {@code string}, {@code vector}, {@code matrix} or {@code error}
 * @param text a string result's value, or an error's type
 * @param message an error's message, for reports only; empty otherwise
 */
record Answer(String type, List<Series> series, String text, String message) {
  /** Values agree when within this relative difference. */
  static final double TOLERANCE = 1e-9;

  record Point(long t, double v) {}

  /** A series: labels (sorted by name) and points in the order given. */
  record Series(Map<String, String> labels, List<Point> points) {
    String key() {
      return labels.toString();
    }
  }

  Answer {
    series = List.copyOf(series);
  }

  static Answer error(String errorType, String message) {
    return new Answer("error", List.of(), errorType, message);
  }

  /** Runs a Meridian query; its failures become error answers with the API's error type. */
  static Answer ofMeridian(Supplier<QueryResult> query) {
    try {
      return of(query.get().value());
    } catch (ParseException e) {
      return error("bad_data", e.getMessage());
    } catch (PromqlException e) {
      return error(e.kind().apiName(), e.getMessage());
    }
  }

  static Answer of(Value value) {
    return switch (value) {
      case Scalar(long t, double v) ->
          new Answer("scalar", List.of(new Series(Map.of(), List.of(new Point(t, v)))), "", "");
      case StringValue(long t, String v) ->
          new Answer("string", List.of(new Series(Map.of(), List.of(new Point(t, 0)))), v, "");
      case Vector(List<Sample> samples) -> {
        List<Series> out = new ArrayList<>();
        for (Sample s : samples) {
          out.add(new Series(new TreeMap<>(s.labels().toMap()), List.of(new Point(s.t(), s.v()))));
        }
        yield new Answer("vector", out, "", "");
      }
      case Matrix(List<RangeSeries> matrix) -> {
        List<Series> out = new ArrayList<>();
        for (RangeSeries s : matrix) {
          List<Point> points = new ArrayList<>();
          for (int i = 0; i < s.size(); i++) {
            points.add(new Point(s.t(i), s.v(i)));
          }
          out.add(new Series(new TreeMap<>(s.labels().toMap()), points));
        }
        yield new Answer("matrix", out, "", "");
      }
    };
  }

  /** Converts the body of {@code /api/v1/query} or {@code /api/v1/query_range}. */
  static Answer ofPrometheus(JsonNode body) {
    if (!body.path("status").asText().equals("success")) {
      return error(body.path("errorType").asText(), body.path("error").asText());
    }
    String type = body.path("data").path("resultType").asText();
    JsonNode result = body.path("data").path("result");
    return switch (type) {
      case "scalar" ->
          new Answer(type, List.of(new Series(Map.of(), List.of(point(result)))), "", "");
      case "string" ->
          new Answer(
              type,
              List.of(new Series(Map.of(), List.of(new Point(millis(result.get(0)), 0)))),
              result.get(1).asText(),
              "");
      case "vector" -> {
        List<Series> out = new ArrayList<>();
        for (JsonNode s : result) {
          out.add(new Series(labels(s.path("metric")), List.of(point(s.path("value")))));
        }
        yield new Answer(type, out, "", "");
      }
      case "matrix" -> {
        List<Series> out = new ArrayList<>();
        for (JsonNode s : result) {
          List<Point> points = new ArrayList<>();
          for (JsonNode p : s.path("values")) {
            points.add(point(p));
          }
          out.add(new Series(labels(s.path("metric")), points));
        }
        yield new Answer(type, out, "", "");
      }
      default -> throw new IllegalArgumentException("unknown result type in " + body);
    };
  }

  private static Map<String, String> labels(JsonNode metric) {
    Map<String, String> out = new TreeMap<>();
    for (Map.Entry<String, JsonNode> e : metric.properties()) {
      out.put(e.getKey(), e.getValue().asText());
    }
    return out;
  }

  private static Point point(JsonNode pair) {
    String v = pair.get(1).asText();
    double value =
        switch (v) {
          case "+Inf" -> Double.POSITIVE_INFINITY;
          case "-Inf" -> Double.NEGATIVE_INFINITY;
          case "NaN" -> Double.NaN;
          default -> Double.parseDouble(v);
        };
    return new Point(millis(pair.get(0)), value);
  }

  private static long millis(JsonNode seconds) {
    return seconds.decimalValue().movePointRight(3).longValueExact();
  }

  /**
   * How {@code other} differs from this answer; empty when they agree. With {@code ordered}, the
   * series must also come in the same order of values (ties may come in either order).
   */
  List<String> differences(Answer other, boolean ordered) {
    List<String> out = new ArrayList<>();
    if (!type.equals(other.type)) {
      out.add("result type " + type + " vs " + other.type);
      return out;
    }
    if (type.equals("error") || type.equals("string")) {
      if (!text.equals(other.text)) {
        out.add((type.equals("error") ? "error type " : "string ") + text + " vs " + other.text);
      }
      if (type.equals("error")) {
        return out;
      }
    }
    if (ordered && series.size() == other.series.size()) {
      for (int i = 0; i < series.size(); i++) {
        Point a = series.get(i).points().getFirst();
        Point b = other.series.get(i).points().getFirst();
        if (!close(a.v(), b.v())) {
          out.add("order: element " + i + " is " + a.v() + " vs " + b.v());
          break;
        }
      }
    }
    Map<String, Series> mine = byKey(series, out, "this");
    Map<String, Series> theirs = byKey(other.series, out, "other");
    for (Series s : mine.values()) {
      Series o = theirs.get(s.key());
      if (o == null) {
        out.add("only in this: " + brief(s));
      } else {
        compare(s, o, out);
      }
    }
    for (Series o : theirs.values()) {
      if (!mine.containsKey(o.key())) {
        out.add("only in other: " + brief(o));
      }
    }
    return out;
  }

  private static Map<String, Series> byKey(List<Series> list, List<String> out, String side) {
    Map<String, Series> map = new TreeMap<>();
    for (Series s : list) {
      if (map.put(s.key(), s) != null) {
        out.add("duplicate series in " + side + ": " + s.key());
      }
    }
    return map;
  }

  private static void compare(Series a, Series b, List<String> out) {
    if (a.points().size() != b.points().size()) {
      out.add(a.key() + ": " + a.points().size() + " points vs " + b.points().size());
    }
    for (int i = 0; i < Math.min(a.points().size(), b.points().size()); i++) {
      Point p = a.points().get(i);
      Point q = b.points().get(i);
      if (p.t() != q.t() || !close(p.v(), q.v())) {
        out.add(a.key() + ": point " + i + " is " + p + " vs " + q);
        return;
      }
    }
  }

  private static String brief(Series s) {
    List<Point> p = s.points();
    return s.key() + (p.size() == 1 ? " " + p.getFirst() : " (" + p.size() + " points)");
  }

  /** Equal within {@link #TOLERANCE} relative; NaN equals NaN, infinities only themselves. */
  static boolean close(double a, double b) {
    if (Double.isNaN(a) || Double.isNaN(b)) {
      return Double.isNaN(a) && Double.isNaN(b);
    }
    if (a == b) {
      return true;
    }
    if (Double.isInfinite(a) || Double.isInfinite(b)) {
      return false;
    }
    return Math.abs(a - b) <= TOLERANCE * Math.max(Math.abs(a), Math.abs(b));
  }

  @Override
  public String toString() {
    if (type.equals("error")) {
      return "error " + text + ": " + message;
    }
    StringBuilder b = new StringBuilder(type).append(' ').append(text);
    int n = 0;
    for (Series s : series) {
      b.append("\n  ").append(s.labels()).append(" =>");
      for (Point p : s.points().subList(0, Math.min(4, s.points().size()))) {
        b.append(' ').append(p.v()).append(" @").append(p.t());
      }
      if (s.points().size() > 4) {
        b.append(" ... (").append(s.points().size()).append(" points)");
      }
      if (++n == 12) {
        b.append("\n  ... (").append(series.size()).append(" series)");
        break;
      }
    }
    return b.toString();
  }
}
