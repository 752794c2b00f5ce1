package io.meridian.relabel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meridian.model.NameValidation;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The builder's defaults and Prometheus's validation messages. */
class RelabelRuleTest {

  private static RelabelRule.Builder rule(RelabelAction action) {
    return RelabelRule.builder().action(action);
  }

  private static void rejects(RelabelRule.Builder b, String message) {
    assertThatThrownBy(b::build).isInstanceOf(RelabelConfigException.class).hasMessage(message);
  }

  @Test
  void fillsPrometheusDefaults() {
    RelabelRule r = RelabelRule.builder().targetLabel("t").build();
    assertThat(r.action()).isEqualTo(RelabelAction.REPLACE);
    assertThat(r.sourceLabels()).isEmpty();
    assertThat(r.separator()).isEqualTo(";");
    assertThat(r.regexText()).isEqualTo("(.*)");
    assertThat(r.regex().pattern()).isEqualTo("^(?s:(.*))$");
    assertThat(r.replacement()).isEqualTo("$1");
    assertThat(r.modulus()).isZero();
    assertThat(r.targetLabel()).isEqualTo("t");
  }

  @Test
  void keepsWhatIsSet() {
    RelabelRule r =
        rule(RelabelAction.HASHMOD)
            .sourceLabels(List.of("a", "b"))
            .separator(",")
            .regex("x+")
            .modulus(8)
            .targetLabel("shard")
            .build();
    assertThat(r.sourceLabels()).containsExactly("a", "b");
    assertThat(r.separator()).isEqualTo(",");
    assertThat(r.regexText()).isEqualTo("x+");
    assertThat(r.regex().matches("xxx")).isTrue();
    assertThat(r.regex().matches("axxx")).isFalse();
    assertThat(r.modulus()).isEqualTo(8);
  }

  @Test
  void actionByConfigName() {
    assertThat(RelabelRule.builder().action("LabelMap").build().action())
        .isEqualTo(RelabelAction.LABELMAP);
    assertThatThrownBy(() -> RelabelRule.builder().action("bogus"))
        .isInstanceOf(RelabelConfigException.class)
        .hasMessage("unknown relabel action \"bogus\"");
  }

  @Test
  void requiredFields() {
    rejects(rule(null), "relabel action cannot be empty");
    rejects(
        rule(RelabelAction.REPLACE),
        "relabel configuration for replace action requires 'target_label' value");
    rejects(
        rule(RelabelAction.HASHMOD).targetLabel("t"),
        "relabel configuration for hashmod requires non-zero modulus");
    rejects(
        rule(RelabelAction.HASHMOD).modulus(3),
        "relabel configuration for hashmod action requires 'target_label' value");
    for (RelabelAction a :
        List.of(
            RelabelAction.LOWERCASE,
            RelabelAction.UPPERCASE,
            RelabelAction.KEEPEQUAL,
            RelabelAction.DROPEQUAL)) {
      rejects(
          rule(a),
          "relabel configuration for " + a.configName() + " action requires 'target_label' value");
    }
  }

  @Test
  void utf8TargetsAreValidThatLegacyRejects() {
    // Prometheus 3: any non-empty UTF-8 name, with or without references.
    rule(RelabelAction.LOWERCASE).targetLabel("${3}").build();
    rule(RelabelAction.REPLACE).targetLabel("0${3}").build();
    rule(RelabelAction.REPLACE).targetLabel("-${3}").build();
    rule(RelabelAction.REPLACE).targetLabel("foo.bar").build();
    rule(RelabelAction.HASHMOD).modulus(2).targetLabel("shard.id").build();

    rejects(
        rule(RelabelAction.LOWERCASE).targetLabel("${3}").nameValidation(NameValidation.LEGACY),
        "\"${3}\" is invalid 'target_label' for lowercase action");
    rejects(
        rule(RelabelAction.REPLACE).targetLabel("0${3}").nameValidation(NameValidation.LEGACY),
        "\"0${3}\" is invalid 'target_label' for replace action");
    rejects(
        rule(RelabelAction.REPLACE).targetLabel("-${3}").nameValidation(NameValidation.LEGACY),
        "\"-${3}\" is invalid 'target_label' for replace action");
    rejects(
        rule(RelabelAction.REPLACE).targetLabel("foo.bar").nameValidation(NameValidation.LEGACY),
        "\"foo.bar\" is invalid 'target_label' for replace action");
    rejects(
        rule(RelabelAction.HASHMOD)
            .modulus(2)
            .targetLabel("shard.id")
            .nameValidation(NameValidation.LEGACY),
        "\"shard.id\" is invalid 'target_label' for hashmod action");
    rejects(
        rule(RelabelAction.KEEPEQUAL).targetLabel("a-b").nameValidation(NameValidation.LEGACY),
        "\"a-b\" is invalid 'target_label' for keepequal action");
  }

  @Test
  void illFormedUnicodeIsInvalidEvenUnderUtf8() {
    assertThatThrownBy(() -> rule(RelabelAction.REPLACE).targetLabel("a\uD800").build())
        .isInstanceOf(RelabelConfigException.class)
        .hasMessageEndingWith(" is invalid 'target_label' for replace action");
  }

  /** Prometheus's legacy pattern for targets with references, case by case. */
  @ParameterizedTest(name = "{0} valid={1}")
  @CsvSource({
    "label, true",
    "_, true",
    "label${1}, true",
    "${1}label, true",
    "${1}, true",
    "$1, true",
    "x$2y, true",
    "_${1}_, true",
    "foo${bar}foo, true",
    "$name_x, true",
    "-label, false",
    "${, false",
    "$, false",
    "${}, false",
    "foo${, false",
    "-foo${1}bar-, false",
    "bar.foo${1}bar, false",
    "${1}-x, false",
  })
  void legacyTargetPattern(String target, boolean valid) {
    RelabelRule.Builder b =
        rule(RelabelAction.REPLACE).targetLabel(target).nameValidation(NameValidation.LEGACY);
    if (valid) {
      assertThat(b.build().targetLabel()).isEqualTo(target);
    } else {
      rejects(b, "\"" + target + "\" is invalid 'target_label' for replace action");
    }
  }

  @Test
  void replacementCannotBeSetForCaseAndEqualActions() {
    for (RelabelAction a :
        List.of(
            RelabelAction.LOWERCASE,
            RelabelAction.UPPERCASE,
            RelabelAction.KEEPEQUAL,
            RelabelAction.DROPEQUAL)) {
      rejects(
          rule(a).targetLabel("t").replacement("x"),
          "'replacement' can not be set for " + a.configName() + " action");
    }
  }

  @Test
  void labelMapReplacement() {
    rule(RelabelAction.LABELMAP).regex("__meta_(.+)").replacement("${1}").build();
    rule(RelabelAction.LABELMAP).regex("(.+)").replacement("l-$1").build();
    rule(RelabelAction.LABELMAP)
        .regex("__meta_kubernetes_pod_label_(strimzi_io_.+)")
        .replacement("$1")
        .nameValidation(NameValidation.LEGACY)
        .build();
    rejects(
        rule(RelabelAction.LABELMAP).replacement(""),
        "\"\" is invalid 'replacement' for labelmap action");
    rejects(
        rule(RelabelAction.LABELMAP).replacement("l-$1").nameValidation(NameValidation.LEGACY),
        "\"l-$1\" is invalid 'replacement' for labelmap action");
  }

  @Test
  void equalActionsTakeOnlySourceAndTarget() {
    rule(RelabelAction.KEEPEQUAL).sourceLabels("a").targetLabel("b").build();
    String keep =
        "keepequal action requires only 'source_labels' and `target_label`, and no other"
            + " fields";
    String drop =
        "dropequal action requires only 'source_labels' and `target_label`, and no other"
            + " fields";
    // Like Prometheus, a regex written out is refused even when it is the default.
    rejects(rule(RelabelAction.KEEPEQUAL).targetLabel("b").regex("(.*)"), keep);
    rejects(rule(RelabelAction.KEEPEQUAL).targetLabel("b").separator(","), keep);
    rejects(rule(RelabelAction.DROPEQUAL).targetLabel("b").modulus(4), drop);
    // An explicit default separator is fine: Prometheus compares the value.
    rule(RelabelAction.DROPEQUAL).targetLabel("b").separator(";").build();
  }

  @Test
  void labelDropAndKeepTakeOnlyRegex() {
    rule(RelabelAction.LABELDROP).regex("tmp_.*").build();
    rule(RelabelAction.LABELKEEP).regex("job|instance").replacement("$1").build();
    for (RelabelAction a : List.of(RelabelAction.LABELDROP, RelabelAction.LABELKEEP)) {
      String message = a.configName() + " action requires only 'regex', and no other fields";
      rejects(rule(a).sourceLabels(List.of()), message);
      rejects(rule(a).sourceLabels("a"), message);
      rejects(rule(a).targetLabel("t"), message);
      rejects(rule(a).modulus(3), message);
      rejects(rule(a).separator(","), message);
      rejects(rule(a).replacement("x"), message);
    }
  }

  @Test
  void badRegexAndSourceLabel() {
    assertThatThrownBy(() -> rule(RelabelAction.DROP).regex("(abc").build())
        .isInstanceOf(RelabelConfigException.class)
        .hasMessageStartingWith("error parsing regexp: missing closing )");
    rejects(rule(RelabelAction.DROP).sourceLabels("a", ""), "\"\" is not a valid label name");
  }
}
