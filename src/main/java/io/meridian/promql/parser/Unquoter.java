package io.meridian.promql.parser;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Reads a PromQL string literal: double or single quotes with Go's escapes, or back quotes taken
 * literally. Errors are Prometheus's lexer errors, positioned at the opening quote.
 */
final class Unquoter {
  /** The unquoted value and the offset just past the closing quote. */
  record Scanned(String value, int end) {}

  private Unquoter() {}

  /** Reads the string whose opening quote is at {@code start} in {@code in}. */
  static Scanned scan(String in, int start) {
    char quote = in.charAt(start);
    return quote == '`' ? raw(in, start) : escaped(in, start, quote);
  }

  private static Scanned raw(String in, int start) {
    int close = in.indexOf('`', start + 1);
    if (close < 0) {
      throw new ParseException(in, start, "unterminated raw string");
    }
    // Go's Unquote drops carriage returns from raw strings.
    return new Scanned(in.substring(start + 1, close).replace("\r", ""), close + 1);
  }

  private static Scanned escaped(String in, int start, char quote) {
    // Escapes such as \xff stand for bytes, as in Go; the bytes are decoded as UTF-8 at the end.
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int i = start + 1;
    while (true) {
      if (i >= in.length() || in.charAt(i) == '\n') {
        throw new ParseException(in, start, "unterminated quoted string");
      }
      int cp = in.codePointAt(i);
      i += Character.charCount(cp);
      if (cp == quote) {
        return new Scanned(decode(bytes.toByteArray()), i);
      }
      if (cp != '\\') {
        bytes.writeBytes(new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8));
        continue;
      }
      if (i >= in.length()) {
        throw new ParseException(in, start, "escape sequence not terminated");
      }
      int e = in.codePointAt(i);
      i += Character.charCount(e);
      switch (e) {
        case 'a' -> bytes.write(7);
        case 'b' -> bytes.write('\b');
        case 'f' -> bytes.write('\f');
        case 'n' -> bytes.write('\n');
        case 'r' -> bytes.write('\r');
        case 't' -> bytes.write('\t');
        case 'v' -> bytes.write(0x0b);
        case '\\' -> bytes.write('\\');
        case '0', '1', '2', '3', '4', '5', '6', '7' -> {
          bytes.write(number(in, start, i - 1, 3, 8, 255));
          i += 2;
        }
        case 'x' -> {
          bytes.write(number(in, start, i, 2, 16, 255));
          i += 2;
        }
        case 'u', 'U' -> {
          int n = e == 'u' ? 4 : 8;
          int v = number(in, start, i, n, 16, Character.MAX_CODE_POINT);
          bytes.writeBytes(new String(Character.toChars(v)).getBytes(StandardCharsets.UTF_8));
          i += n;
        }
        default -> {
          if (e != quote) {
            throw new ParseException(in, start, "unknown escape sequence " + goRune(e));
          }
          bytes.write(quote);
        }
      }
    }
  }

  /** The value of the {@code n} digits at {@code from}, checked as Prometheus's lexer does. */
  private static int number(String in, int start, int from, int n, int base, int max) {
    long v = 0;
    for (int k = 0; k < n; k++) {
      if (from + k >= in.length()) {
        throw new ParseException(in, start, "escape sequence not terminated");
      }
      int d = Character.digit(in.charAt(from + k), base);
      if (d < 0 || in.charAt(from + k) > 'f') {
        throw new ParseException(
            in,
            start,
            "illegal character " + goRune(in.codePointAt(from + k)) + " in escape sequence");
      }
      v = v * base + d;
    }
    if (v > max || (v >= 0xD800 && v < 0xE000)) {
      throw new ParseException(in, start, "escape sequence is an invalid Unicode code point");
    }
    return (int) v;
  }

  /** Go's {@code %#U}: {@code U+0063 'c'}, or {@code U+000A} for a character it cannot print. */
  static String goRune(int cp) {
    String hex = "U+" + String.format(Locale.ROOT, "%04X", cp);
    return Character.isISOControl(cp) || !Character.isDefined(cp)
        ? hex
        : hex + " '" + new String(Character.toChars(cp)) + "'";
  }

  /**
   * Decodes UTF-8, keeping each byte that is not part of a valid sequence as a lone surrogate
   * {@code U+DC80..U+DCFF} (Python's "surrogateescape"). Go strings hold such bytes, and Prometheus
   * reports them ({@code invalid label name "a\xc5z"}); a lone surrogate is never valid in a label
   * name, and {@link io.meridian.util.GoFormat#quote} prints it back as {@code \xc5}.
   */
  static String decode(byte[] b) {
    StringBuilder out = new StringBuilder(b.length);
    int i = 0;
    while (i < b.length) {
      int c = b[i] & 0xff;
      int n =
          c < 0x80
              ? 1
              : c >= 0xc2 && c < 0xe0
                  ? 2
                  : c >= 0xe0 && c < 0xf0 ? 3 : c >= 0xf0 && c < 0xf5 ? 4 : 0;
      if (n > 0 && i + n <= b.length) {
        String s = new String(b, i, n, java.nio.charset.StandardCharsets.UTF_8);
        boolean replacement =
            s.equals("\ufffd")
                && !(n == 3 && c == 0xef && (b[i + 1] & 0xff) == 0xbf && (b[i + 2] & 0xff) == 0xbd);
        if (s.codePointCount(0, s.length()) == 1 && !replacement) {
          out.append(s);
          i += n;
          continue;
        }
      }
      if (n == 1) {
        out.append((char) c);
      } else {
        out.append((char) (0xdc00 | c));
      }
      i++;
    }
    return out.toString();
  }
}
