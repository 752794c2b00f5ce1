package io.meridian.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meridian.model.Labels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TargetGroupFilesTest {

  @Test
  void readsJsonAsGoDoes() throws Exception {
    List<StaticConfig> groups =
        TargetGroupFiles.parse(
            "t.json",
            """
            [{"targets":["a:1","b:2"],"labels":{"env":"prod","empty":""},"extra":{"x":[1]}},
             {"Targets": ["c:3"]},
             {"targets": null, "labels": null}]
            """);
    assertThat(groups)
        .containsExactly(
            new StaticConfig(List.of("a:1", "b:2"), Labels.of("env", "prod")),
            new StaticConfig(List.of("c:3"), Labels.EMPTY),
            new StaticConfig(List.of(), Labels.EMPTY));
    assertThat(TargetGroupFiles.parse("t.JSON", "null")).isEmpty();
    assertThat(TargetGroupFiles.parse("t.json", "[]")).isEmpty();
  }

  @Test
  void readsYamlStrictly() throws Exception {
    assertThat(
            TargetGroupFiles.parse(
                "t.yml",
                """
                - targets: ['a:1']
                  labels:
                    env: prod
                - targets: [b:2]
                """))
        .containsExactly(
            new StaticConfig(List.of("a:1"), Labels.of("env", "prod")),
            new StaticConfig(List.of("b:2"), Labels.EMPTY));
    assertThat(TargetGroupFiles.parse("t.yaml", "")).isEmpty();
    assertThat(TargetGroupFiles.parse("t.yaml", "# nothing yet\n")).isEmpty();
    assertThatThrownBy(() -> TargetGroupFiles.parse("t.yml", "- targets: [a:1]\n  lables: {}\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("t.yml:2:3: [0].lables: field lables not found in type targetgroup.Group");
  }

  @Test
  void badFilesSayWhereAndWhy() {
    assertThatThrownBy(() -> TargetGroupFiles.parse("t.json", ""))
        .hasMessage("t.json: unexpected end of JSON input");
    assertThatThrownBy(() -> TargetGroupFiles.parse("t.json", "[{\"targets\": [\"a:1\"]"))
        .hasMessageStartingWith("t.json:1:");
    assertThatThrownBy(() -> TargetGroupFiles.parse("t.json", "[{\"targets\": [1]}]"))
        .hasMessage(
            "t.json:1:15: [0].targets: json: cannot unmarshal number into Go value of type string");
    assertThatThrownBy(() -> TargetGroupFiles.parse("t.json", "[{\"labels\": {\"1x\": \"v\"}}]"))
        .hasMessage("t.json:1:14: [0].labels: \"1x\" is not a valid label name");
    assertThatThrownBy(() -> TargetGroupFiles.parse("t.json", "[null]"))
        .hasMessage("t.json:1:2: [0]: nil target group item found");
    assertThatThrownBy(() -> TargetGroupFiles.parse("t.json", "{}"))
        .hasMessage(
            "t.json:1:1: json: cannot unmarshal object into Go value of type"
                + " []*targetgroup.Group");
    assertThatThrownBy(() -> TargetGroupFiles.parse("t.yml", "- targets: [a:1\n"))
        .hasMessageStartingWith("t.yml:");
    assertThatThrownBy(() -> TargetGroupFiles.parse("t.txt", "[]"))
        .hasMessage("t.txt: unsupported file extension (.json, .yml, .yaml)");
  }

  @Test
  void globsMatchTheLastElement(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("b.json"), "[]");
    Files.writeString(dir.resolve("a.json"), "[]");
    Files.writeString(dir.resolve("a.yml"), "[]");
    assertThat(TargetGroupFiles.matching(dir + "/*.json"))
        .containsExactly(dir.resolve("a.json"), dir.resolve("b.json"));
    assertThat(TargetGroupFiles.matching(dir + "/a.yml")).containsExactly(dir.resolve("a.yml"));
    assertThat(TargetGroupFiles.matching(dir + "/none.yml")).isEmpty();
    assertThat(TargetGroupFiles.matching(dir + "/missing/*.yml")).isEmpty();
  }
}
