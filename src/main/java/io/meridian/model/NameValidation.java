package io.meridian.model;

/**
 * How label and metric names are checked. Prometheus 3 accepts any non-empty UTF-8 name ({@link
 * #UTF8}); its older rule ({@link #LEGACY}) is what text exposition 0.0.4 and many tools still
 * require.
 */
public enum NameValidation {
  /** Any non-empty name that is well-formed Unicode (so it has a UTF-8 form). */
  UTF8,
  /** Label names {@code [a-zA-Z_][a-zA-Z0-9_]*}; metric names also allow {@code :}. */
  LEGACY;

  /** Returns why {@code name} is not a valid label name under this rule, or null if it is. */
  public String labelNameError(String name) {
    return error(name, false);
  }

  /** Returns why {@code name} is not a valid metric name under this rule, or null if it is. */
  public String metricNameError(String name) {
    return error(name, true);
  }

  private String error(String name, boolean metric) {
    String what = metric ? "metric name" : "label name";
    if (name.isEmpty()) {
      return what + " must not be empty";
    }
    return switch (this) {
      case UTF8 ->
          isWellFormed(name)
              ? null
              : what + " " + Labels.quote(name) + " is not valid UTF-8 (lone surrogate)";
      case LEGACY ->
          isLegacy(name, metric)
              ? null
              : what
                  + " "
                  + Labels.quote(name)
                  + (metric
                      ? " must match [a-zA-Z_:][a-zA-Z0-9_:]*"
                      : " must match [a-zA-Z_][a-zA-Z0-9_]*");
    };
  }

  /** Whether {@code name} is a valid label name under the legacy rule. */
  public static boolean isLegacyLabelName(String name) {
    return !name.isEmpty() && isLegacy(name, false);
  }

  /** Whether {@code name} is a valid metric name under the legacy rule. */
  public static boolean isLegacyMetricName(String name) {
    return !name.isEmpty() && isLegacy(name, true);
  }

  private static boolean isLegacy(String s, boolean colonAllowed) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || c == '_'
              || (colonAllowed && c == ':')
              || (i > 0 && c >= '0' && c <= '9');
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  private static boolean isWellFormed(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c)) {
        if (i + 1 == s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
          return false;
        }
        i++;
      } else if (Character.isLowSurrogate(c)) {
        return false;
      }
    }
    return true;
  }
}
