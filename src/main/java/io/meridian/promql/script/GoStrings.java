package io.meridian.promql.script;

/** Go's {@code strconv.Unquote} for the quoted strings of {@code expect string}. */
final class GoStrings {
  private GoStrings() {}

  /**
   * Unquotes {@code "..."} (with Go's escapes), {@code `...`} (raw) or {@code '.'} (one character).
   *
   * @throws IllegalArgumentException if {@code s} is not one quoted string
   */
  static String unquote(String s) {
    if (s.length() < 2 || s.charAt(0) != s.charAt(s.length() - 1)) {
      throw new IllegalArgumentException("invalid syntax");
    }
    char q = s.charAt(0);
    String body = s.substring(1, s.length() - 1);
    if (q == '`') {
      if (body.indexOf('`') >= 0) {
        throw new IllegalArgumentException("invalid syntax");
      }
      return body.replace("\r", "");
    }
    if (q != '"' && q != '\'') {
      throw new IllegalArgumentException("invalid syntax");
    }
    String out = unescape(body, q);
    if (q == '\'' && out.codePointCount(0, out.length()) != 1) {
      throw new IllegalArgumentException("invalid syntax");
    }
    return out;
  }

  private static String unescape(String body, char q) {
    StringBuilder sb = new StringBuilder(body.length());
    for (int p = 0; p < body.length(); ) {
      char c = body.charAt(p++);
      if (c == q || c == '\n') {
        throw new IllegalArgumentException("invalid syntax");
      }
      if (c != '\\') {
        sb.append(c);
        continue;
      }
      if (p >= body.length()) {
        throw new IllegalArgumentException("invalid syntax");
      }
      char e = body.charAt(p++);
      switch (e) {
        case 'a' -> sb.append('\u0007');
        case 'b' -> sb.append('\b');
        case 'f' -> sb.append('\f');
        case 'n' -> sb.append('\n');
        case 'r' -> sb.append('\r');
        case 't' -> sb.append('\t');
        case 'v' -> sb.append('\u000b');
        case '\\' -> sb.append('\\');
        case '\'', '"' -> {
          if (e != q) {
            throw new IllegalArgumentException("invalid syntax");
          }
          sb.append(e);
        }
        case 'x', 'u', 'U' -> {
          int n = e == 'x' ? 2 : e == 'u' ? 4 : 8;
          if (p + n > body.length()) {
            throw new IllegalArgumentException("invalid syntax");
          }
          sb.appendCodePoint(Integer.parseInt(body.substring(p, p + n), 16));
          p += n;
        }
        case '0', '1', '2', '3', '4', '5', '6', '7' -> {
          if (p + 2 > body.length()) {
            throw new IllegalArgumentException("invalid syntax");
          }
          sb.append((char) Integer.parseInt(body.substring(p - 1, p + 2), 8));
          p += 2;
        }
        default -> throw new IllegalArgumentException("invalid syntax");
      }
    }
    return sb.toString();
  }
}
