package io.meridian.util;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * What this build of Meridian is: version and git revision, stamped in by the build.
 *
 * @param version the project version
 * @param revision the abbreviated git commit, or {@code unknown} when built outside a repository
 * @param dirty whether the working tree had uncommitted changes when built
 * @param buildDate when the jar was built, ISO-8601
 */
public record BuildInfo(String version, String revision, boolean dirty, String buildDate) {

  /** Reads the properties the build wrote into the jar. */
  public static BuildInfo current() {
    Properties p = new Properties();
    try (InputStream in = BuildInfo.class.getResourceAsStream("build.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("reading build.properties", e);
    }
    return new BuildInfo(
        stamped(p, "version"),
        stamped(p, "revision"),
        Boolean.parseBoolean(stamped(p, "dirty")),
        stamped(p, "buildDate"));
  }

  private static String stamped(Properties p, String key) {
    String v = p.getProperty(key, "");
    // An unfiltered ${...} placeholder means the build had no value for it (no git, say).
    return v.isEmpty() || v.startsWith("${") ? "unknown" : v;
  }
}
