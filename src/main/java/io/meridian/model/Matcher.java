package io.meridian.model;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import java.util.Objects;

/**
 * A label matcher: {@code name op "value"}. A missing label matches as the empty string, so {@code
 * {foo=""}} selects series without {@code foo}, as in Prometheus.
 *
 * <p>Regular expressions have RE2 syntax and semantics (via re2j, linear time on any input), are
 * anchored at both ends, and let {@code .} match a newline, as Prometheus 3 does. Immutable and
 * thread-safe.
 */
public final class Matcher {
  private final MatchType type;
  private final String name;
  private final String value;
  private final Pattern pattern; // null unless a regex type

  private Matcher(MatchType type, String name, String value, Pattern pattern) {
    this.type = type;
    this.name = name;
    this.value = value;
    this.pattern = pattern;
  }

  /**
   * Creates a matcher, compiling the regular expression for {@code =~} and {@code !~}.
   *
   * @throws IllegalArgumentException if the regular expression does not compile; the message names
   *     it and says why
   */
  public static Matcher of(MatchType type, String name, String value) {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(value, "value");
    Pattern pattern = null;
    if (type == MatchType.REGEX || type == MatchType.NOT_REGEX) {
      try {
        pattern = Pattern.compile(value, Pattern.DOTALL);
      } catch (PatternSyntaxException e) {
        throw new IllegalArgumentException(
            "invalid regular expression " + Labels.quote(value) + ": " + e.getDescription(), e);
      }
    }
    return new Matcher(type, name, value, pattern);
  }

  /** {@code name="value"}. */
  public static Matcher equal(String name, String value) {
    return of(MatchType.EQUAL, name, value);
  }

  /** {@code name!="value"}. */
  public static Matcher notEqual(String name, String value) {
    return of(MatchType.NOT_EQUAL, name, value);
  }

  /** {@code name=~"value"}. */
  public static Matcher regex(String name, String value) {
    return of(MatchType.REGEX, name, value);
  }

  /** {@code name!~"value"}. */
  public static Matcher notRegex(String name, String value) {
    return of(MatchType.NOT_REGEX, name, value);
  }

  public MatchType type() {
    return type;
  }

  public String name() {
    return name;
  }

  public String value() {
    return value;
  }

  /** Whether a label value matches; pass {@code ""} for a label the series does not have. */
  public boolean matches(String v) {
    return switch (type) {
      case EQUAL -> value.equals(v);
      case NOT_EQUAL -> !value.equals(v);
      case REGEX -> pattern.matches(v);
      case NOT_REGEX -> !pattern.matches(v);
    };
  }

  /** Whether a series with these labels is selected by this matcher. */
  public boolean matches(Labels labels) {
    String v = labels.get(name);
    return matches(v == null ? "" : v);
  }

  /** Whether the matcher selects series that lack the label ({@code foo=""}, {@code foo!~".+"}). */
  public boolean matchesEmpty() {
    return matches("");
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Matcher m && type == m.type && name.equals(m.name) && value.equals(m.value);
  }

  @Override
  public int hashCode() {
    return Objects.hash(type, name, value);
  }

  /** PromQL form: {@code job=~"api.*"}. */
  @Override
  public String toString() {
    String n = NameValidation.isLegacyLabelName(name) ? name : Labels.quote(name);
    return n + type.operator() + Labels.quote(value);
  }
}
