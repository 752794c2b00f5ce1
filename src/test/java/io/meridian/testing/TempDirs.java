package io.meridian.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Directories for benchmarks, which have no JUnit {@code @TempDir}. */
public final class TempDirs {
  private TempDirs() {}

  /** Deletes {@code dir} and everything under it. */
  public static void delete(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
