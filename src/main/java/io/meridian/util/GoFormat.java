package io.meridian.util;

import java.math.BigDecimal;

/**
 * Go's text forms that Prometheus tools print and users compare against: {@code %g} of a float64
 * (shortest digits; exponent form below 1e-4 and from 1e6) and {@code time.Duration}'s String.
 */
public final class GoFormat {
  private GoFormat() {}

  /** Go's {@code fmt.Sprintf("%g", v)}: {@code 1.234567e+06}, {@code 0.0001}, {@code +Inf}. */
  public static String g(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "+Inf" : "-Inf";
    }
    boolean neg = (Double.doubleToRawLongBits(v) < 0);
    if (v == 0) {
      return neg ? "-0" : "0";
    }
    // Double.toString gives the shortest digits that round-trip, as Go's shortest formatting does.
    BigDecimal d = new BigDecimal(Double.toString(Math.abs(v))).stripTrailingZeros();
    String digits = d.unscaledValue().toString();
    int dp = digits.length() - d.scale(); // position of the decimal point within digits
    int exp = dp - 1;
    StringBuilder sb = new StringBuilder(24);
    if (neg) {
      sb.append('-');
    }
    if (exp < -4 || exp >= 6) {
      return e(v);
    }
    if (dp <= 0) {
      sb.append("0.");
      sb.repeat('0', -dp);
      return sb.append(digits).toString();
    }
    if (dp >= digits.length()) {
      sb.append(digits);
      sb.repeat('0', dp - digits.length());
      return sb.toString();
    }
    return sb.append(digits, 0, dp).append('.').append(digits, dp, digits.length()).toString();
  }

  /**
   * Go's {@code strconv.FormatFloat(v, 'f', -1, 64)}: shortest digits, never an exponent ({@code
   * 1e+21} prints as {@code 1000000000000000000000}); {@code +Inf}, {@code -Inf}, {@code NaN}.
   */
  public static String f(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "+Inf" : "-Inf";
    }
    if (v == 0) {
      return Double.doubleToRawLongBits(v) < 0 ? "-0" : "0";
    }
    return new BigDecimal(Double.toString(v)).stripTrailingZeros().toPlainString();
  }

  /**
   * Go's {@code strconv.FormatFloat(v, 'e', -1, 64)}: shortest digits in exponent form, {@code
   * 1e-07}, {@code 1.5e+21}.
   */
  public static String e(double v) {
    if (Double.isNaN(v) || Double.isInfinite(v) || v == 0) {
      return v == 0 ? (Double.doubleToRawLongBits(v) < 0 ? "-0e+00" : "0e+00") : f(v);
    }
    BigDecimal d = new BigDecimal(Double.toString(Math.abs(v))).stripTrailingZeros();
    String digits = d.unscaledValue().toString();
    int exp = digits.length() - d.scale() - 1;
    StringBuilder sb = new StringBuilder(24);
    if (v < 0) {
      sb.append('-');
    }
    sb.append(digits.charAt(0));
    if (digits.length() > 1) {
      sb.append('.').append(digits, 1, digits.length());
    }
    sb.append('e').append(exp < 0 ? '-' : '+');
    int a = Math.abs(exp);
    if (a < 10) {
      sb.append('0');
    }
    return sb.append(a).toString();
  }

  /**
   * Go's {@code time.Duration(ms * 1e6).String()}: {@code 2h0m0s}, {@code 3m45.001s}, {@code 0s}.
   */
  public static String duration(long millis) {
    if (millis == 0) {
      return "0s";
    }
    StringBuilder sb = new StringBuilder();
    long m = millis;
    if (m < 0) {
      sb.append('-');
      m = -m;
    }
    if (m < 1000) {
      return sb.append(m).append("ms").toString();
    }
    long h = m / 3_600_000;
    long min = (m / 60_000) % 60;
    long s = (m / 1000) % 60;
    long frac = m % 1000;
    if (h > 0) {
      sb.append(h).append('h');
    }
    if (h > 0 || min > 0) {
      sb.append(min).append('m');
    }
    sb.append(s);
    if (frac > 0) {
      String f = String.format("%03d", frac);
      sb.append('.').append(f.replaceAll("0+$", ""));
    }
    return sb.append('s').toString();
  }

  /**
   * Go's {@code strconv.Quote}: double quotes, backslash escapes for quotes, backslashes and
   * control characters, and {@code \\uXXXX} / {@code \\UXXXXXXXX} for characters Go does not
   * consider printable (private use, format characters, separators other than the space).
   */
  public static String quote(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      i += Character.charCount(cp);
      switch (cp) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case 0x07 -> sb.append("\\a");
        case '\b' -> sb.append("\\b");
        case '\f' -> sb.append("\\f");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        case 0x0b -> sb.append("\\v");
        default -> {
          if (cp >= 0xdc80 && cp <= 0xdcff) {
            sb.append(String.format("\\x%02x", cp & 0xff)); // a raw byte kept from Go text
          } else if (cp < 0x80) {
            if (cp < 0x20 || cp == 0x7f) {
              sb.append(String.format("\\x%02x", cp));
            } else {
              sb.append((char) cp);
            }
          } else if (isPrint(cp)) {
            sb.appendCodePoint(cp);
          } else if (cp < 0x10000) {
            sb.append(String.format("\\u%04x", cp));
          } else {
            sb.append(String.format("\\U%08x", cp));
          }
        }
      }
    }
    return sb.append('"').toString();
  }

  /** Go's {@code unicode.IsPrint} for non-ASCII: letters, marks, numbers, punctuation, symbols. */
  private static boolean isPrint(int cp) {
    return switch (Character.getType(cp)) {
      case Character.UPPERCASE_LETTER,
          Character.LOWERCASE_LETTER,
          Character.TITLECASE_LETTER,
          Character.MODIFIER_LETTER,
          Character.OTHER_LETTER,
          Character.NON_SPACING_MARK,
          Character.ENCLOSING_MARK,
          Character.COMBINING_SPACING_MARK,
          Character.DECIMAL_DIGIT_NUMBER,
          Character.LETTER_NUMBER,
          Character.OTHER_NUMBER,
          Character.CONNECTOR_PUNCTUATION,
          Character.DASH_PUNCTUATION,
          Character.START_PUNCTUATION,
          Character.END_PUNCTUATION,
          Character.INITIAL_QUOTE_PUNCTUATION,
          Character.FINAL_QUOTE_PUNCTUATION,
          Character.OTHER_PUNCTUATION,
          Character.MATH_SYMBOL,
          Character.CURRENCY_SYMBOL,
          Character.MODIFIER_SYMBOL,
          Character.OTHER_SYMBOL ->
          true;
      default -> false;
    };
  }
}
