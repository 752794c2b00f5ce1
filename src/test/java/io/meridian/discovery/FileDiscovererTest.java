package io.meridian.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.config.FileSdConfig;
import io.meridian.model.Labels;
import io.meridian.testing.CapturedLogs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileDiscovererTest {
  @TempDir Path dir;

  private final AtomicInteger changes = new AtomicInteger();
  private CapturedLogs logged;

  @BeforeEach
  void captureLogs() {
    logged = CapturedLogs.of(FileDiscoverer.class);
  }

  @AfterEach
  void releaseLogs() {
    logged.close();
  }

  private FileDiscoverer start(String... patterns) {
    List<String> files = java.util.Arrays.stream(patterns).map(p -> dir + "/" + p).toList();
    FileDiscoverer d =
        FileDiscoverer.unwatched(new FileSdConfig(files, FileSdConfig.DEFAULT_REFRESH_INTERVAL));
    d.start(changes::incrementAndGet);
    return d;
  }

  private void write(String name, String text) throws IOException {
    Files.writeString(dir.resolve(name), text);
  }

  private TargetGroup group(String file, int i, List<String> addresses, String... labels) {
    String path = dir.resolve(file).toString();
    return new TargetGroup(
        path + ":" + i,
        addresses.stream().map(a -> Labels.of("__address__", a)).toList(),
        Labels.of(labels).toBuilder().set("__meta_filepath", path).build());
  }

  @Test
  void readsEveryMatchingFileInPathOrderAndLabelsTheirGroups() throws IOException {
    write("b.json", "[{\"targets\": [\"b:1\"], \"labels\": {\"__meta_filepath\": \"mine\"}}]");
    write("a.json", "[{\"targets\": [\"a:1\", \"a:2\"], \"labels\": {\"env\": \"x\"}}, {}]");
    write("c.yml", "- targets: ['c:1']\n");
    write("ignored.txt", "nonsense");
    try (FileDiscoverer d = start("*.json", "c.yml", "a.json")) {
      assertThat(d.groups())
          .containsExactly(
              group("a.json", 0, List.of("a:1", "a:2"), "env", "x"),
              group("a.json", 1, List.of()),
              group("b.json", 0, List.of("b:1")),
              group("c.yml", 0, List.of("c:1")));
      assertThat(changes).hasValue(0);
    }
  }

  @Test
  void refreshSeesChangedNewAndDeletedFiles() throws IOException {
    write("a.json", "[{\"targets\": [\"a:1\"]}]");
    try (FileDiscoverer d = start("*.json")) {
      d.refresh();
      assertThat(changes).as("nothing changed").hasValue(0);

      write("a.json", "[{\"targets\": [\"a:2\"]}]");
      write("b.json", "[{\"targets\": [\"b:1\"]}]");
      d.refresh();
      assertThat(changes).hasValue(1);
      assertThat(d.groups())
          .containsExactly(group("a.json", 0, List.of("a:2")), group("b.json", 0, List.of("b:1")));

      Files.delete(dir.resolve("a.json"));
      d.refresh();
      assertThat(changes).hasValue(2);
      assertThat(d.groups()).containsExactly(group("b.json", 0, List.of("b:1")));
    }
    assertThat(logged.messages()).isEmpty();
  }

  @Test
  void aFileThatFailsToParseKeepsItsLastGoodGroupsAndTheReasonIsLogged() throws IOException {
    write("a.yml", "- targets: ['a:1']\n");
    write("b.yml", "- targets: ['b:1']\n");
    try (FileDiscoverer d = start("*.yml")) {
      write("a.yml", "- targets: ['a:1'\n");
      write("b.yml", "- targets: ['b:2']\n");
      write("c.yml", "- tragets: ['c:1']\n");
      d.refresh();
      assertThat(d.groups())
          .containsExactly(group("a.yml", 0, List.of("a:1")), group("b.yml", 0, List.of("b:2")));
      assertThat(logged.messages())
          .containsExactly(
              "file_sd: error reading file, keeping its last targets: "
                  + dir.resolve("a.yml")
                  + ":2:1: yaml: while parsing a flow sequence: expected ',' or ']', but got"
                  + " <stream end>",
              "file_sd: error reading file, keeping its last targets: "
                  + dir.resolve("c.yml")
                  + ":1:3: [0].tragets: field tragets not found in type targetgroup.Group");

      write("a.yml", "- targets: ['a:3']\n");
      d.refresh();
      assertThat(d.groups())
          .containsExactly(group("a.yml", 0, List.of("a:3")), group("b.yml", 0, List.of("b:2")));
    }
  }

  @Test
  void aFileThatShrinksLosesItsLaterGroups() throws IOException {
    write("a.json", "[{\"targets\": [\"a:1\"]}, {\"targets\": [\"a:2\"]}]");
    try (FileDiscoverer d = start("a.json")) {
      assertThat(d.groups()).hasSize(2);
      write("a.json", "[{\"targets\": [\"a:1\"]}]");
      d.refresh();
      assertThat(d.groups()).containsExactly(group("a.json", 0, List.of("a:1")));
      write("a.json", "[]");
      d.refresh();
      assertThat(d.groups()).isEmpty();
      assertThat(changes).hasValue(2);
    }
  }
}
