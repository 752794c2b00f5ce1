package io.meridian.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Compares output with a golden file under {@code src/test/resources/golden/}. Run with {@code
 * -Dgolden.update=true} to write the files from the current output instead, then review the diff.
 */
public final class Golden {
  /** The system property that rewrites golden files. */
  public static final String UPDATE_PROPERTY = "golden.update";

  static Path root = Path.of("src", "test", "resources", "golden");

  private Golden() {}

  /** Asserts that {@code actual} equals the golden file {@code name} (a relative path). */
  public static void assertMatches(String name, String actual) {
    Path file = root.resolve(name);
    try {
      if (Boolean.getBoolean(UPDATE_PROPERTY)) {
        Files.createDirectories(file.getParent());
        Files.writeString(file, actual, StandardCharsets.UTF_8);
        return;
      }
      if (!Files.exists(file)) {
        throw new AssertionError(
            "golden file "
                + file
                + " does not exist; create it with -D"
                + UPDATE_PROPERTY
                + "=true and review it");
      }
      String expected = Files.readString(file, StandardCharsets.UTF_8);
      assertThat(actual)
          .as("output against golden file %s (-D%s=true rewrites it)", file, UPDATE_PROPERTY)
          .isEqualTo(expected);
    } catch (IOException e) {
      throw new UncheckedIOException("golden file " + file, e);
    }
  }
}
