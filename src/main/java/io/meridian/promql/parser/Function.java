package io.meridian.promql.parser;

import static io.meridian.promql.parser.ValueType.MATRIX;
import static io.meridian.promql.parser.ValueType.SCALAR;
import static io.meridian.promql.parser.ValueType.STRING;
import static io.meridian.promql.parser.ValueType.VECTOR;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A PromQL function's signature, as Prometheus declares it: argument types, how many optional or
 * repeated arguments of the last type follow ({@code variadic}: 0 none, n up to n more, -1 any
 * number; with variadic != 0 the last declared argument may itself be left out), and the result
 * type. Experimental functions are behind a feature flag in Prometheus.
 */
public record Function(
    String name,
    List<ValueType> argTypes,
    int variadic,
    ValueType returnType,
    boolean experimental) {

  public Function {
    argTypes = List.copyOf(argTypes);
  }

  /** Fewest arguments a call may have. */
  public int minArgs() {
    return variadic == 0 ? argTypes.size() : argTypes.size() - 1;
  }

  /** Most arguments a call may have; Integer.MAX_VALUE when unbounded. */
  public int maxArgs() {
    return variadic < 0 ? Integer.MAX_VALUE : argTypes.size() + Math.max(0, variadic - 1);
  }

  /** The declared type of argument {@code i} (repeated arguments take the last type). */
  public ValueType argType(int i) {
    return argTypes.get(Math.min(i, argTypes.size() - 1));
  }

  private static final Map<String, Function> ALL = new HashMap<>();

  private static void def(String name, ValueType ret, int variadic, ValueType... args) {
    ALL.put(name, new Function(name, List.of(args), variadic, ret, false));
  }

  private static void exp(String name, ValueType ret, int variadic, ValueType... args) {
    ALL.put(name, new Function(name, List.of(args), variadic, ret, true));
  }

  static {
    for (String f :
        List.of(
            "abs",
            "ceil",
            "floor",
            "exp",
            "sqrt",
            "ln",
            "log2",
            "log10",
            "sgn",
            "deg",
            "rad",
            "sin",
            "cos",
            "tan",
            "asin",
            "acos",
            "atan",
            "sinh",
            "cosh",
            "tanh",
            "asinh",
            "acosh",
            "atanh",
            "timestamp",
            "sort",
            "sort_desc",
            "absent",
            "histogram_count",
            "histogram_sum",
            "histogram_avg",
            "histogram_stddev",
            "histogram_stdvar")) {
      def(f, VECTOR, 0, VECTOR);
    }
    for (String f :
        List.of(
            "rate",
            "irate",
            "increase",
            "delta",
            "idelta",
            "deriv",
            "changes",
            "resets",
            "avg_over_time",
            "min_over_time",
            "max_over_time",
            "sum_over_time",
            "count_over_time",
            "last_over_time",
            "stddev_over_time",
            "stdvar_over_time",
            "present_over_time",
            "absent_over_time")) {
      def(f, VECTOR, 0, MATRIX);
    }
    for (String f :
        List.of(
            "mad_over_time",
            "ts_of_min_over_time",
            "ts_of_max_over_time",
            "ts_of_last_over_time",
            "first_over_time",
            "ts_of_first_over_time")) {
      exp(f, VECTOR, 0, MATRIX);
    }
    for (String f :
        List.of(
            "day_of_month",
            "day_of_week",
            "day_of_year",
            "days_in_month",
            "hour",
            "minute",
            "month",
            "year")) {
      def(f, VECTOR, 1, VECTOR);
    }
    def("clamp", VECTOR, 0, VECTOR, SCALAR, SCALAR);
    def("clamp_max", VECTOR, 0, VECTOR, SCALAR);
    def("clamp_min", VECTOR, 0, VECTOR, SCALAR);
    def("round", VECTOR, 1, VECTOR, SCALAR);
    def("predict_linear", VECTOR, 0, MATRIX, SCALAR);
    def("quantile_over_time", VECTOR, 0, SCALAR, MATRIX);
    def("histogram_quantile", VECTOR, 0, SCALAR, VECTOR);
    def("histogram_fraction", VECTOR, 0, SCALAR, SCALAR, VECTOR);
    def("label_replace", VECTOR, 0, VECTOR, STRING, STRING, STRING, STRING);
    def("label_join", VECTOR, -1, VECTOR, STRING, STRING, STRING);
    def("scalar", SCALAR, 0, VECTOR);
    def("vector", VECTOR, 0, SCALAR);
    def("time", SCALAR, 0);
    def("pi", SCALAR, 0);
    exp("double_exponential_smoothing", VECTOR, 0, MATRIX, SCALAR, SCALAR);
    def("holt_winters", VECTOR, 0, MATRIX, SCALAR, SCALAR); // Prometheus 2.x's name for it
    exp("sort_by_label", VECTOR, -1, VECTOR, STRING);
    exp("sort_by_label_desc", VECTOR, -1, VECTOR, STRING);
    exp("histogram_quantiles", VECTOR, -1, VECTOR, STRING, SCALAR);
    exp("info", VECTOR, 1, VECTOR, VECTOR);
    // The query's start and end, its step and its range, in seconds (Prometheus 3.x, flagged).
    exp("start", SCALAR, 0);
    exp("end", SCALAR, 0);
    exp("step", SCALAR, 0);
    exp("range", SCALAR, 0);
    exp("min_of", SCALAR, 0, SCALAR, SCALAR); // math.Min / math.Max of two scalars
    exp("max_of", SCALAR, 0, SCALAR, SCALAR);
  }

  /** The function named {@code name}, or null. */
  public static Function byName(String name) {
    return ALL.get(name);
  }
}
