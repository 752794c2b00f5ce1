package io.meridian.relabel;

import java.util.Locale;

/** The relabel actions, named as Prometheus's config names them. */
public enum RelabelAction {
  REPLACE,
  KEEP,
  DROP,
  KEEPEQUAL,
  DROPEQUAL,
  HASHMOD,
  LABELMAP,
  LABELDROP,
  LABELKEEP,
  LOWERCASE,
  UPPERCASE;

  /** The name in the YAML ({@code replace}, {@code labelmap}, ...). */
  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The action named {@code name} in a config (case-insensitive, as Prometheus reads it), or null.
   */
  public static RelabelAction byConfigName(String name) {
    for (RelabelAction a : values()) {
      if (a.configName().equalsIgnoreCase(name)) {
        return a;
      }
    }
    return null;
  }
}
