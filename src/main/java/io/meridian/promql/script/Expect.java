package io.meridian.promql.script;

import com.google.re2j.Pattern;

/**
 * An {@code expect} line of an {@code eval}: {@code expect fail}, {@code expect warn msg: ...},
 * {@code expect info regex: ...}, {@code expect no_warn}, {@code expect no_info}, {@code expect
 * ordered}. The deprecated forms ({@code eval_fail}, {@code eval_warn}, {@code eval_info}, {@code
 * eval_ordered}, {@code expected_fail_message}, {@code expected_fail_regexp}) are read into the
 * same lines, which is what they mean.
 *
 * @param message the exact text to match, or null
 * @param regex the pattern to find in the text (Go's RE2 syntax), or null; when both are null any
 *     text matches
 */
public record Expect(Type type, String message, Pattern regex) {

  /** What the line expects. */
  public enum Type {
    FAIL("fail"),
    WARN("warn"),
    NO_WARN("no_warn"),
    INFO("info"),
    NO_INFO("no_info"),
    ORDERED("ordered");

    private final String word;

    Type(String word) {
      this.word = word;
    }

    /** The word in the script. */
    public String word() {
      return word;
    }

    static Type of(String word) {
      for (Type t : values()) {
        if (t.word.equals(word)) {
          return t;
        }
      }
      throw new IllegalArgumentException("invalid expected error/annotation type " + word);
    }
  }

  /** An expectation that any message satisfies. */
  public static Expect any(Type type) {
    return new Expect(type, null, null);
  }

  /** Whether {@code text} (an error or annotation message) satisfies this line. */
  public boolean matches(String text) {
    if (message != null) {
      return message.equals(text);
    }
    return regex == null || regex.matcher(text).find();
  }

  @Override
  public String toString() {
    String s = "expect " + type.word;
    if (message != null) {
      return s + " msg: " + message;
    }
    return regex != null ? s + " regex: " + regex.pattern() : s;
  }
}
