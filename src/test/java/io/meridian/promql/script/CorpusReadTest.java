package io.meridian.promql.script;

import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.testing.SharedCorpus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every script of the shared corpus reads; no engine needed. */
class CorpusReadTest {
  /** The corpus's scripts; skips the calling test when the corpus is absent. */
  static List<Path> corpusFiles() throws IOException {
    try (Stream<Path> s = Files.list(SharedCorpus.requirePromqlTestdata())) {
      return s.filter(p -> p.toString().endsWith(".test")).sorted().toList();
    }
  }

  @Test
  void everyCorpusScriptReads() throws IOException {
    List<Path> files = corpusFiles();
    assertThat(files).hasSizeGreaterThanOrEqualTo(19);
    int evals = 0;
    for (Path f : files) {
      Script s = ScriptReader.read(f.getFileName().toString(), Files.readString(f));
      assertThat(s.evals()).as(f.toString()).isNotEmpty();
      evals += s.evals().size();
    }
    // 2,102 eval lines in the corpus as checked in (grep -c '^\s*eval').
    assertThat(evals).isEqualTo(2102);
  }
}
