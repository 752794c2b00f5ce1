package io.meridian.testing;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GoldenTest {
  @TempDir Path dir;
  private Path saved;
  private String savedUpdate;

  @BeforeEach
  void pointAtTempDir() {
    saved = Golden.root;
    Golden.root = dir;
    savedUpdate = System.clearProperty(Golden.UPDATE_PROPERTY);
  }

  @AfterEach
  void restore() {
    Golden.root = saved;
    if (savedUpdate != null) {
      System.setProperty(Golden.UPDATE_PROPERTY, savedUpdate);
    }
  }

  @Test
  void matchesAndMismatches() throws Exception {
    Files.writeString(dir.resolve("a.txt"), "hello\n");
    Golden.assertMatches("a.txt", "hello\n");
    assertThatThrownBy(() -> Golden.assertMatches("a.txt", "hullo\n"))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("golden file")
        .hasMessageContaining("hullo");
  }

  @Test
  void missingFileSaysHowToCreateIt() {
    assertThatThrownBy(() -> Golden.assertMatches("none.txt", "x"))
        .hasMessageContaining("does not exist; create it with -Dgolden.update=true");
  }
}
