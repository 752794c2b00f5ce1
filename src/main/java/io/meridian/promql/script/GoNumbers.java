package io.meridian.promql.script;

import io.meridian.util.GoFormat;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.regex.Pattern;

/**
 * Go's number syntax as the script runner reads it: {@code strconv.ParseInt} and {@code
 * ParseFloat}.
 */
final class GoNumbers {
  private static final Pattern DECIMAL =
      Pattern.compile("[+-]?(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:[eE][+-]?\\d+)?");
  private static final Pattern HEX_FLOAT =
      Pattern.compile(
          "[+-]?0[xX](?:[0-9a-fA-F]+(?:\\.[0-9a-fA-F]*)?|\\.[0-9a-fA-F]+)[pP][+-]?\\d+");
  private static final Pattern INTEGER =
      Pattern.compile("[+-]?(?:0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9]\\d*)");

  private GoNumbers() {}

  /**
   * A whole line read as a number, as the runner reads an expected scalar: an integer in any Go
   * base ({@code 0x1f}, {@code 017}), else a float ({@code 1.5e3}, {@code Inf}, {@code NaN}).
   */
  static OptionalDouble parseNumber(String s) {
    if (INTEGER.matcher(s).matches()) {
      return OptionalDouble.of(parseInteger(s));
    }
    return parseFloat(s);
  }

  /**
   * Go's {@code strconv.ParseFloat}: decimal or hex floats, {@code inf}, {@code infinity}, {@code
   * nan}.
   */
  static OptionalDouble parseFloat(String s) {
    String lower = s.toLowerCase(Locale.ROOT);
    String unsigned = lower.startsWith("+") || lower.startsWith("-") ? lower.substring(1) : lower;
    boolean negative = lower.startsWith("-");
    if (unsigned.equals("inf") || unsigned.equals("infinity")) {
      return OptionalDouble.of(negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY);
    }
    if (unsigned.equals("nan")) {
      return OptionalDouble.of(Double.NaN);
    }
    if (DECIMAL.matcher(s).matches() || HEX_FLOAT.matcher(s).matches()) {
      return OptionalDouble.of(Double.parseDouble(s));
    }
    return OptionalDouble.empty();
  }

  private static double parseInteger(String s) {
    boolean negative = s.startsWith("-");
    String u = s.startsWith("-") || s.startsWith("+") ? s.substring(1) : s;
    int radix = 10;
    if (u.length() > 1 && u.charAt(0) == '0') {
      switch (Character.toLowerCase(u.charAt(1))) {
        case 'x' -> {
          radix = 16;
          u = u.substring(2);
        }
        case 'o' -> {
          radix = 8;
          u = u.substring(2);
        }
        case 'b' -> {
          radix = 2;
          u = u.substring(2);
        }
        default -> {
          radix = 8;
          u = u.substring(1);
        }
      }
    }
    // Beyond int64 Go's ParseInt fails and ParseFloat takes over; the double is the same.
    double v = new java.math.BigInteger(u, radix).doubleValue();
    return negative ? -v : v;
  }

  /** A float as Go's {@code %g} prints it. */
  static String format(double v) {
    return GoFormat.g(v);
  }
}
