package io.meridian.config;

import java.util.Map;

/**
 * Expands {@code $NAME} and {@code ${NAME}} as Go's {@code os.Expand} does, which is how Prometheus
 * expands {@code external_labels}: {@code $$} is a literal {@code $}, an unset variable is empty,
 * and a {@code $} followed by nothing that can start a name is kept.
 */
final class Env {
  private Env() {}

  static String expand(String s, Map<String, String> env) {
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c != '$' || i + 1 >= s.length()) {
        out.append(c);
        i++;
        continue;
      }
      String rest = s.substring(i + 1);
      int[] width = new int[1];
      String name = shellName(rest, width);
      if (name == null) {
        if (width[0] == 0) {
          out.append('$'); // "$" followed by something that is not a name: kept
        }
        // otherwise bad syntax such as "${": dropped, as os.Expand does
      } else if (name.equals("$")) {
        out.append('$');
      } else {
        out.append(env.getOrDefault(name, ""));
      }
      i += 1 + width[0];
    }
    return out.toString();
  }

  /** The name after a {@code $}, or null; {@code width[0]} gets the characters it takes. */
  private static String shellName(String s, int[] width) {
    char c = s.charAt(0);
    if (c == '{') {
      if (s.length() > 2 && isSpecial(s.charAt(1)) && s.charAt(2) == '}') {
        width[0] = 3;
        return s.substring(1, 2);
      }
      int close = s.indexOf('}');
      if (close == 1) {
        width[0] = 2; // "${}" is bad syntax
        return null;
      }
      if (close < 0) {
        width[0] = 1; // no closing brace: bad syntax, only the brace goes
        return null;
      }
      width[0] = close + 1;
      return s.substring(1, close);
    }
    if (isSpecial(c)) {
      width[0] = 1;
      return s.substring(0, 1);
    }
    int n = 0;
    while (n < s.length() && isAlnum(s.charAt(n))) {
      n++;
    }
    width[0] = n;
    return n == 0 ? null : s.substring(0, n);
  }

  private static boolean isSpecial(char c) {
    return switch (c) {
      case '*', '#', '$', '@', '!', '?', '-' -> true;
      default -> c >= '0' && c <= '9';
    };
  }

  private static boolean isAlnum(char c) {
    return c == '_' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }
}
