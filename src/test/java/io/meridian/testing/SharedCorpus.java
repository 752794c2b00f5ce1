package io.meridian.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where Prometheus's PromQL test corpus is: {@code ../shared/conformance/promql/testdata} beside
 * the project, or under the directory named by {@code -Dmeridian.shared} or {@code
 * $MERIDIAN_SHARED}. It is reference data, not part of Meridian, so the repository does not carry
 * it; tests that need it are skipped, saying so, where it is absent.
 */
public final class SharedCorpus {
  private SharedCorpus() {}

  /** The corpus directory, whether or not it exists. */
  public static Path promqlTestdata() {
    String root = System.getProperty("meridian.shared", System.getenv("MERIDIAN_SHARED"));
    return Path.of(root == null ? "../shared" : root).resolve("conformance/promql/testdata");
  }

  /** The corpus directory; skips the calling test when it is absent. */
  public static Path requirePromqlTestdata() {
    Path dir = promqlTestdata();
    assumeTrue(
        Files.isDirectory(dir),
        "the PromQL corpus is not at "
            + dir.toAbsolutePath().normalize()
            + " (set -Dmeridian.shared or MERIDIAN_SHARED to the shared directory)");
    return dir;
  }
}
