package io.meridian.relabel;

import com.google.re2j.Pattern;

/**
 * A cheap test before running a relabel regex: the literal text every match must start with, read
 * conservatively off the regex as written. re2j runs an NFA over every character, so for the common
 * {@code labeldrop: pod_template_hash} or {@code __meta_kubernetes_pod_label_(.+)} a string
 * comparison rejects most names far sooner.
 *
 * <p>The prefix is the leading run of plain ASCII characters (letters, digits and {@code
 * _-:/,;=@%}), less its last character when a quantifier follows; a regex with a {@code |} anywhere
 * has none. When the whole regex is such a run, a match is exactly equality.
 */
final class LiteralPrefix {
  private LiteralPrefix() {}

  /** The length of the literal prefix of {@code regexText}; its whole length for a pure literal. */
  static int length(String regexText) {
    if (regexText.indexOf('|') >= 0) {
      return 0;
    }
    int n = 0;
    while (n < regexText.length() && isPlain(regexText.charAt(n))) {
      n++;
    }
    if (n < regexText.length() && n > 0 && isQuantifier(regexText.charAt(n))) {
      n--; // the quantifier applies to the last character, which may then be absent
    }
    return n;
  }

  /**
   * Whether {@code re}, compiled from {@code regexText} whose {@link #length} is {@code prefix},
   * matches all of {@code value}.
   */
  static boolean matches(Pattern re, String regexText, int prefix, String value) {
    if (prefix == regexText.length()) {
      return value.equals(regexText);
    }
    if (prefix > 0 && !value.regionMatches(0, regexText, 0, prefix)) {
      return false;
    }
    return re.matches(value);
  }

  private static boolean isPlain(char c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || "_-:/,;=@%".indexOf(c) >= 0;
  }

  private static boolean isQuantifier(char c) {
    return c == '*' || c == '+' || c == '?' || c == '{';
  }
}
