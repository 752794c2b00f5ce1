package io.meridian.promql.parser;

import io.meridian.model.Labels;
import io.meridian.model.MatchType;
import io.meridian.model.Matcher;
import io.meridian.model.NameValidation;
import io.meridian.util.GoFormat;
import io.meridian.util.Utf8Order;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Prints an expression as PromQL in Prometheus's style ({@code sum by (job) (rate(x[5m]))}, {@code
 * a + on (b) group_left (c) d}, matchers sorted, durations as {@code 1h30m}), so that it parses
 * back to the same tree.
 */
final class Printer {
  private Printer() {}

  static String print(Expr e) {
    StringBuilder sb = new StringBuilder();
    write(sb, e);
    return sb.toString();
  }

  private static void write(StringBuilder sb, Expr e) {
    switch (e) {
      case NumberLiteral n -> sb.append(GoFormat.f(n.value()));
      case StringLiteral s -> sb.append(GoFormat.quote(s.value()));
      case VectorSelector v -> {
        selector(sb, v);
        modifiers(sb, v.at(), v.offsetMillis());
      }
      case MatrixSelector m -> {
        VectorSelector v = m.selector();
        selector(sb, v);
        sb.append('[').append(duration(m.rangeMillis())).append(']');
        modifiers(sb, v.at(), v.offsetMillis());
      }
      case SubqueryExpr s -> {
        write(sb, s.expr());
        sb.append('[').append(duration(s.rangeMillis())).append(':');
        if (s.stepMillis() != 0) {
          sb.append(duration(s.stepMillis()));
        }
        sb.append(']');
        modifiers(sb, s.at(), s.offsetMillis());
      }
      case ParenExpr p -> {
        sb.append('(');
        write(sb, p.expr());
        sb.append(')');
      }
      case UnaryExpr u -> {
        sb.append(u.negate() ? '-' : '+');
        write(sb, u.expr());
      }
      case BinaryExpr b -> binary(sb, b);
      case AggregateExpr a -> aggregate(sb, a);
      case Call c -> {
        sb.append(c.func().name()).append('(');
        args(sb, c.args());
        sb.append(')');
      }
    }
  }

  private static void binary(StringBuilder sb, BinaryExpr b) {
    if (b.op() == BinaryOp.POW && b.lhs() instanceof NumberLiteral n && signed(n.value())) {
      // Written with its sign, "-1 ^ 2" or "+Inf ^ 2" would read as the sign of the power.
      sb.append(n.value() == Double.POSITIVE_INFINITY ? "Inf" : "(" + GoFormat.f(n.value()) + ")");
    } else {
      write(sb, b.lhs());
    }
    sb.append(' ').append(b.op().symbol());
    if (b.returnBool()) {
      sb.append(" bool");
    }
    VectorMatching vm = b.matching();
    if (vm != null) {
      boolean grouped =
          vm.card() == VectorMatching.Cardinality.MANY_TO_ONE
              || vm.card() == VectorMatching.Cardinality.ONE_TO_MANY;
      if (!vm.labels().isEmpty() || vm.on() || grouped) {
        sb.append(vm.on() ? " on (" : " ignoring (");
        labels(sb, vm.labels());
        sb.append(')');
      }
      if (grouped) {
        sb.append(
            vm.card() == VectorMatching.Cardinality.MANY_TO_ONE
                ? " group_left ("
                : " group_right (");
        labels(sb, vm.include());
        sb.append(')');
      }
    }
    sb.append(' ');
    write(sb, b.rhs());
  }

  private static void aggregate(StringBuilder sb, AggregateExpr a) {
    sb.append(a.op().promName());
    if (a.without()) {
      sb.append(" without (");
      labels(sb, a.grouping());
      sb.append(") ");
    } else if (!a.grouping().isEmpty()) {
      sb.append(" by (");
      labels(sb, a.grouping());
      sb.append(") ");
    }
    sb.append('(');
    if (a.param() != null) {
      write(sb, a.param());
      sb.append(", ");
    }
    write(sb, a.expr());
    sb.append(')');
  }

  private static void args(StringBuilder sb, List<Expr> args) {
    for (int i = 0; i < args.size(); i++) {
      if (i > 0) {
        sb.append(", ");
      }
      write(sb, args.get(i));
    }
  }

  /** {@code name{a="b",c=~"d"}}: the name matcher shown as the name, the others sorted. */
  private static void selector(StringBuilder sb, VectorSelector v) {
    String name = v.name();
    List<String> shown = new ArrayList<>();
    for (Matcher m : v.matchers()) {
      boolean isName =
          m.name().equals(Labels.METRIC_NAME)
              && m.type() == MatchType.EQUAL
              && m.value().equals(name)
              && !m.value().isEmpty();
      if (!isName) {
        shown.add(m.toString());
      }
    }
    shown.sort(Utf8Order.COMPARATOR);
    boolean plainName = name != null && usableAsMetricName(name);
    if (plainName) {
      sb.append(name);
    } else if (name != null && !name.isEmpty()) {
      shown.addFirst(GoFormat.quote(name)); // a name made in code that PromQL must quote
    }
    if (!shown.isEmpty()) {
      sb.append('{').append(String.join(",", shown)).append('}');
    } else if (!plainName) {
      sb.append("{}");
    }
  }

  private static void modifiers(StringBuilder sb, At at, long offsetMillis) {
    if (at != null) {
      sb.append(" @ ");
      switch (at.kind()) {
        case START -> sb.append("start()");
        case END -> sb.append("end()");
        case TIME -> sb.append(BigDecimal.valueOf(at.millis(), 3).toPlainString());
      }
    }
    if (offsetMillis > 0) {
      sb.append(" offset ").append(duration(offsetMillis));
    } else if (offsetMillis < 0) {
      sb.append(" offset -").append(duration(-offsetMillis));
    }
  }

  private static void labels(StringBuilder sb, List<String> names) {
    for (int i = 0; i < names.size(); i++) {
      if (i > 0) {
        sb.append(", ");
      }
      String n = names.get(i);
      sb.append(NameValidation.isLegacyLabelName(n) && !isNumberWord(n) ? n : GoFormat.quote(n));
    }
  }

  /** Whether {@code name} may stand bare as a metric name (some keywords may, as in Prometheus). */
  private static boolean usableAsMetricName(String name) {
    if (!NameValidation.isLegacyMetricName(name)) {
      return false;
    }
    TokenType t = TokenType.keyword(name.toLowerCase(Locale.ROOT));
    return t == null
        || switch (t) {
          case AGGREGATOR, BY, WITHOUT, OFFSET, LAND, LOR, LUNLESS, START, END -> true;
          default -> false;
        };
  }

  /**
   * {@code inf} and {@code nan} lex as numbers, so as label names in a grouping they are quoted
   * (Prometheus prints them bare, which it cannot parse back).
   */
  private static boolean isNumberWord(String name) {
    return TokenType.keyword(name.toLowerCase(Locale.ROOT)) == TokenType.NUMBER;
  }

  private static boolean signed(double v) {
    return !Double.isNaN(v) && (Double.doubleToRawLongBits(v) < 0 || v == Double.POSITIVE_INFINITY);
  }

  private static final long[] UNIT_MS = {
    365L * 86_400_000, 7L * 86_400_000, 86_400_000, 3_600_000, 60_000, 1000, 1
  };
  private static final String[] UNIT = {"y", "w", "d", "h", "m", "s", "ms"};

  /**
   * Prometheus's {@code model.Duration} form: {@code 1h30m}, {@code 0s}; years and weeks only when
   * they divide the duration exactly ({@code 90d}, not {@code 12w6d}).
   */
  static String duration(long millis) {
    if (millis == 0) {
      return "0s";
    }
    StringBuilder sb = new StringBuilder();
    long ms = millis;
    if (ms < 0) {
      sb.append('-');
      ms = -ms;
    }
    for (int i = 0; i < UNIT_MS.length; i++) {
      if (i < 2 && ms % UNIT_MS[i] != 0) {
        continue;
      }
      long n = ms / UNIT_MS[i];
      if (n > 0) {
        sb.append(n).append(UNIT[i]);
        ms -= n * UNIT_MS[i];
      }
    }
    return sb.toString();
  }
}
