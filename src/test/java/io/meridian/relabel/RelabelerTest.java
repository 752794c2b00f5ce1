package io.meridian.relabel;

import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.model.Labels;
import io.meridian.model.NameValidation;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One table per action, with the intent of the cases in Prometheus's {@code relabel_test.go}. A
 * null output means the rules drop the set.
 */
class RelabelerTest {

  private static RelabelRule.Builder rule(RelabelAction action) {
    return RelabelRule.builder().action(action);
  }

  private static Labels labels(String... pairs) {
    return Labels.of(pairs);
  }

  private static Arguments row(String name, Labels in, List<RelabelRule> rules, Labels out) {
    return Arguments.of(name, in, rules, out);
  }

  private static void check(Labels in, List<RelabelRule> rules, Labels expected) {
    Labels got = Relabeler.process(in, rules);
    if (expected == null) {
      assertThat(got).as("dropped").isNull();
    } else {
      assertThat(got).isEqualTo(expected);
      if (expected.equals(in)) {
        assertThat(got).as("unchanged input comes back as the same instance").isSameAs(in);
      }
    }
  }

  static Stream<Arguments> replace() {
    Labels abc = labels("a", "foo", "b", "bar", "c", "baz");
    return Stream.of(
        row(
            "braced group used twice",
            abc,
            List.of(
                rule(RelabelAction.REPLACE)
                    .sourceLabels("a")
                    .regex("f(.*)")
                    .targetLabel("d")
                    .replacement("x${1}-y${1}")
                    .build()),
            labels("a", "foo", "b", "bar", "c", "baz", "d", "xoo-yoo")),
        row(
            "joined sources, the second rule sees the first one's output",
            abc,
            List.of(
                rule(RelabelAction.REPLACE)
                    .sourceLabels("a", "b")
                    .regex("f(.*);(.*)r")
                    .targetLabel("a")
                    .replacement("b${1}${2}m")
                    .build(),
                rule(RelabelAction.REPLACE)
                    .sourceLabels("c", "a")
                    .regex("(b).*b(.*)ba(.*)")
                    .targetLabel("d")
                    .replacement("$1$2$2$3")
                    .build()),
            labels("a", "boobam", "b", "bar", "c", "baz", "d", "boooom")),
        row(
            "custom separator",
            abc,
            List.of(
                rule(RelabelAction.REPLACE)
                    .sourceLabels("a", "missing", "b")
                    .separator("/")
                    .targetLabel("path")
                    .build()),
            labels("a", "foo", "b", "bar", "c", "baz", "path", "foo//bar")),
        row(
            "group inside the value",
            labels("a", "abc"),
            List.of(
                rule(RelabelAction.REPLACE)
                    .sourceLabels("a")
                    .regex(".*(b).*")
                    .targetLabel("d")
                    .build()),
            labels("a", "abc", "d", "b")),
        row(
            "no match, no replacement",
            labels("a", "boo"),
            List.of(
                rule(RelabelAction.REPLACE)
                    .sourceLabels("a")
                    .regex("f")
                    .targetLabel("b")
                    .replacement("bar")
                    .build()),
            labels("a", "boo")),
        row(
            "the regex is anchored",
            labels("a", "xfoox"),
            List.of(
                rule(RelabelAction.REPLACE)
                    .sourceLabels("a")
                    .regex("foo")
                    .targetLabel("b")
                    .replacement("hit")
                    .build()),
            labels("a", "xfoox")),
        row(
            "an empty replacement deletes the expanded target",
            labels("a", "foo", "f", "baz"),
            List.of(
                rule(RelabelAction.REPLACE)
                    .sourceLabels("a")
                    .regex("(f).*")
                    .targetLabel("$1")
                    .replacement("$2")
                    .build()),
            labels("a", "foo")),
        row(
            "target and value both from groups",
            labels("a", "some-name-value"),
            List.of(
                rule(RelabelAction.REPLACE)
                    .sourceLabels("a")
                    .regex("some-([^-]+)-([^,]+)")
                    .targetLabel("${1}")
                    .replacement("${2}")
                    .build()),
            labels("a", "some-name-value", "name", "value")),
        row(
            "a replacement naming a missing group is empty: the (absent) target is deleted",
            labels("a", "some-name-value"),
            List.of(
                rule(RelabelAction.REPLACE)
                    .sourceLabels("a")
                    .regex("some-([^-]+)-([^,]+)")
                    .targetLabel("${1}")
                    .replacement("${3}")
                    .build()),
            labels("a", "some-name-value")),
        row(
            "a target expanding to an empty name changes nothing",
            labels("a", "some-name-0"),
            List.of(
                rule(RelabelAction.REPLACE)
                    .sourceLabels("a")
                    .regex("some-([^-]+)-([^,]+)")
                    .targetLabel("${3}")
                    .replacement("${1}")
                    .build(),
                rule(RelabelAction.REPLACE)
                    .sourceLabels("a")
                    .regex("some-([^-]+)(-[^,]+)")
                    .targetLabel("${3}")
                    .replacement("${1}")
                    .build()),
            labels("a", "some-name-0")),
        row(
            "service-discovery tags picked apart",
            labels("__meta_sd_tags", "path:/secret,job:some-job,label:foo=bar"),
            List.of(
                rule(RelabelAction.REPLACE)
                    .sourceLabels("__meta_sd_tags")
                    .regex("(?:.+,|^)path:(/[^,]+).*")
                    .targetLabel("__metrics_path__")
                    .replacement("${1}")
                    .build(),
                rule(RelabelAction.REPLACE)
                    .sourceLabels("__meta_sd_tags")
                    .regex("(?:.+,|^)job:([^,]+).*")
                    .targetLabel("job")
                    .replacement("${1}")
                    .build(),
                rule(RelabelAction.REPLACE)
                    .sourceLabels("__meta_sd_tags")
                    .regex("(?:.+,|^)label:([^=]+)=([^,]+).*")
                    .targetLabel("${1}")
                    .replacement("${2}")
                    .build()),
            labels(
                "__meta_sd_tags",
                "path:/secret,job:some-job,label:foo=bar",
                "__metrics_path__",
                "/secret",
                "job",
                "some-job",
                "foo",
                "bar")),
        row(
            ". matches a newline",
            labels("a", "line1\nline2", "b", "bar"),
            List.of(
                rule(RelabelAction.REPLACE)
                    .sourceLabels("a")
                    .regex("line1.*line2")
                    .targetLabel("d")
                    .replacement("match${1}")
                    .build()),
            labels("a", "line1\nline2", "b", "bar", "d", "match")),
        row(
            "UTF-8 source and target names",
            labels("utf-8.label", "line1\nline2", "b", "bar"),
            List.of(
                rule(RelabelAction.REPLACE)
                    .sourceLabels("utf-8.label")
                    .regex("line1.*line2")
                    .targetLabel("ziel.näme")
                    .replacement("match")
                    .build(),
                rule(RelabelAction.REPLACE)
                    .sourceLabels("b")
                    .regex("(b)ar")
                    .targetLabel("with.dot${2}")
                    .replacement("v$1")
                    .build()),
            labels(
                "utf-8.label", "line1\nline2", "b", "bar", "ziel.näme", "match", "with.dot", "vb")),
        row(
            "numbered and named groups in every style",
            labels("a", "line1\nline2"),
            List.of(
                rule(RelabelAction.REPLACE)
                    .sourceLabels("a")
                    .regex("(line1).*(?<second>line2)")
                    .targetLabel("label1_${1}")
                    .replacement("val_${second}")
                    .build(),
                rule(RelabelAction.REPLACE)
                    .sourceLabels("a")
                    .regex("(line1).*(?P<second>line2)")
                    .targetLabel("label2_$1")
                    .replacement("val_$second")
                    .build()),
            labels("a", "line1\nline2", "label1_line1", "val_line2", "label2_line1", "val_line2")),
        row(
            "metadata labels from the metric name",
            labels("__name__", "disk_usage_bytes"),
            List.of(
                rule(RelabelAction.REPLACE)
                    .sourceLabels("__name__")
                    .regex(".*_bytes$")
                    .targetLabel("__unit__")
                    .replacement("bytes")
                    .build(),
                rule(RelabelAction.REPLACE)
                    .sourceLabels("__name__")
                    .regex(".*_total$")
                    .targetLabel("__type__")
                    .replacement("counter")
                    .build()),
            labels("__name__", "disk_usage_bytes", "__unit__", "bytes")),
        row(
            "static pairs: set, a target expanding to nothing, a value expanding to nothing",
            labels("job", "foo", "dropped", "x"),
            List.of(
                rule(RelabelAction.REPLACE).targetLabel("static").replacement("v").build(),
                rule(RelabelAction.REPLACE).targetLabel("${0}").replacement("ignored").build(),
                rule(RelabelAction.REPLACE).targetLabel("dropped").replacement("${0}").build(),
                rule(RelabelAction.REPLACE)
                    .sourceLabels("absent")
                    .targetLabel("from_absent")
                    .replacement("value")
                    .build()),
            labels("job", "foo", "static", "v", "from_absent", "value")),
        row(
            "copying a label onto itself changes nothing",
            abc,
            List.of(rule(RelabelAction.REPLACE).sourceLabels("a").targetLabel("a").build()),
            abc));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource
  void replace(String name, Labels in, List<RelabelRule> rules, Labels out) {
    check(in, rules, out);
  }

  static Stream<Arguments> keepAndDrop() {
    Labels foo = labels("a", "foo", "b", "bar");
    return Stream.of(
        row(
            "drop on a match ends the run",
            labels("a", "foo"),
            List.of(
                rule(RelabelAction.DROP).sourceLabels("a").regex(".*o.*").build(),
                rule(RelabelAction.REPLACE)
                    .sourceLabels("a")
                    .regex("f(.*)")
                    .targetLabel("d")
                    .replacement("ch$1")
                    .build()),
            null),
        row(
            "drop",
            foo,
            List.of(rule(RelabelAction.DROP).sourceLabels("a").regex(".*o.*").build()),
            null),
        row(
            "drop without a match",
            foo,
            List.of(rule(RelabelAction.DROP).sourceLabels("a").regex("no-match").build()),
            foo),
        row(
            "drop: alternation is anchored as a whole",
            foo,
            List.of(rule(RelabelAction.DROP).sourceLabels("a").regex("f|o").build()),
            foo),
        row(
            "drop on an empty joined value",
            foo,
            List.of(rule(RelabelAction.DROP).sourceLabels("absent").regex("").build()),
            null),
        row(
            "keep without a match",
            foo,
            List.of(rule(RelabelAction.KEEP).sourceLabels("a").regex("no-match").build()),
            null),
        row(
            "keep with a match",
            foo,
            List.of(rule(RelabelAction.KEEP).sourceLabels("a").regex("f.*").build()),
            foo),
        row(
            "keep on joined values",
            foo,
            List.of(rule(RelabelAction.KEEP).sourceLabels("a", "b").regex("foo;bar").build()),
            foo));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource
  void keepAndDrop(String name, Labels in, List<RelabelRule> rules, Labels out) {
    check(in, rules, out);
  }

  static Stream<Arguments> keepEqualAndDropEqual() {
    Labels ports = labels("__tmp_port", "1234", "__port1", "1234", "__port2", "5678");
    return Stream.of(
        row(
            "keepequal, equal",
            ports,
            List.of(
                rule(RelabelAction.KEEPEQUAL)
                    .sourceLabels("__tmp_port")
                    .targetLabel("__port1")
                    .build()),
            ports),
        row(
            "keepequal, different",
            ports,
            List.of(
                rule(RelabelAction.KEEPEQUAL)
                    .sourceLabels("__tmp_port")
                    .targetLabel("__port2")
                    .build()),
            null),
        row(
            "dropequal, equal",
            ports,
            List.of(
                rule(RelabelAction.DROPEQUAL)
                    .sourceLabels("__tmp_port")
                    .targetLabel("__port1")
                    .build()),
            null),
        row(
            "dropequal, different",
            ports,
            List.of(
                rule(RelabelAction.DROPEQUAL)
                    .sourceLabels("__tmp_port")
                    .targetLabel("__port2")
                    .build()),
            ports),
        row(
            "keepequal: an absent source equals an absent target",
            ports,
            List.of(rule(RelabelAction.KEEPEQUAL).sourceLabels("nope").targetLabel("nada").build()),
            ports));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource
  void keepEqualAndDropEqual(String name, Labels in, List<RelabelRule> rules, Labels out) {
    check(in, rules, out);
  }

  static Stream<Arguments> hashMod() {
    return Stream.of(
        row(
            "hashmod",
            labels("a", "foo", "b", "bar", "c", "baz"),
            List.of(
                rule(RelabelAction.HASHMOD)
                    .sourceLabels("c")
                    .targetLabel("d")
                    .modulus(1000)
                    .build()),
            labels("a", "foo", "b", "bar", "c", "baz", "d", "976")),
        row(
            "hashmod of a value with a newline",
            labels("a", "foo\nbar"),
            List.of(
                rule(RelabelAction.HASHMOD)
                    .sourceLabels("a")
                    .targetLabel("b")
                    .modulus(1000)
                    .build()),
            labels("a", "foo\nbar", "b", "734")),
        row(
            "hashmod of joined values, then keep one shard",
            labels("a", "a", "b", "b"),
            List.of(
                rule(RelabelAction.HASHMOD)
                    .sourceLabels("a", "b")
                    .targetLabel("__tmp_hash")
                    .modulus(7)
                    .build(),
                rule(RelabelAction.KEEP).sourceLabels("__tmp_hash").regex("2").build(),
                rule(RelabelAction.LABELDROP).regex("__tmp_hash").build()),
            labels("a", "a", "b", "b")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource
  void hashMod(String name, Labels in, List<RelabelRule> rules, Labels out) {
    check(in, rules, out);
  }

  /** Values from an independent MD5: the last 8 bytes, big-endian, unsigned. */
  @Test
  void hashModKnownValues() {
    assertThat(Relabeler.hashMod("baz", 1000)).isEqualTo(976);
    assertThat(Relabeler.hashMod("foo\nbar", 1000)).isEqualTo(734);
    assertThat(Relabeler.hashMod("10.0.0.1:9100", 3)).isEqualTo(2);
    assertThat(Relabeler.hashMod("", 10)).isEqualTo(8);
    assertThat(Relabeler.hashMod("a;b", 7)).isEqualTo(2);
    assertThat(Relabeler.hashMod("héllo", 1L << 40)).isEqualTo(208301267792L);
    // a modulus above Long.MAX_VALUE is unsigned: 2^64-1 leaves the 64-bit hash itself
    assertThat(Long.toUnsignedString(Relabeler.hashMod("baz", -1L)))
        .isEqualTo("16450797887570275976");
  }

  static Stream<Arguments> labelMap() {
    return Stream.of(
        row(
            "labelmap with a prefix",
            labels("a", "foo", "b1", "bar", "b2", "baz"),
            List.of(rule(RelabelAction.LABELMAP).regex("(b.*)").replacement("bar_${1}").build()),
            labels("a", "foo", "b1", "bar", "b2", "baz", "bar_b1", "bar", "bar_b2", "baz")),
        row(
            "labelmap of meta labels",
            labels("a", "foo", "__meta_my_bar", "aaa", "__meta_my_baz", "bbb", "__meta_other", "c"),
            List.of(
                rule(RelabelAction.LABELMAP).regex("__meta_(my.*)").replacement("${1}").build()),
            labels(
                "a",
                "foo",
                "__meta_my_bar",
                "aaa",
                "__meta_my_baz",
                "bbb",
                "__meta_other",
                "c",
                "my_bar",
                "aaa",
                "my_baz",
                "bbb")),
        row(
            "labelmap to a UTF-8 name",
            labels("__meta_k8s_label_app.kubernetes.io/name", "web"),
            List.of(
                rule(RelabelAction.LABELMAP)
                    .regex("__meta_k8s_label_(.+)")
                    .replacement("$1")
                    .build()),
            labels(
                "__meta_k8s_label_app.kubernetes.io/name", "web", "app.kubernetes.io/name", "web")),
        row(
            "two labels mapped to one name: the later one in sorted order wins",
            labels("a", "1", "b", "2"),
            List.of(rule(RelabelAction.LABELMAP).regex("(a|b)").replacement("x").build()),
            labels("a", "1", "b", "2", "x", "2")),
        row(
            "a label set earlier is visited after the untouched ones, as in Prometheus",
            labels("a", "1", "b", "2"),
            List.of(
                rule(RelabelAction.REPLACE).sourceLabels("a").targetLabel("a").build(),
                rule(RelabelAction.LABELMAP).regex("(a|b)").replacement("x").build()),
            labels("a", "1", "b", "2", "x", "1")),
        row(
            "labelmap reads a snapshot: overwriting a label it has yet to visit uses the old value",
            labels("a", "1", "b", "2"),
            List.of(rule(RelabelAction.LABELMAP).regex("(a|b)").replacement("b").build()),
            labels("a", "1", "b", "2")),
        row(
            "a mapping to an empty name is skipped",
            labels("foo", "1", "foobar", "2"),
            List.of(rule(RelabelAction.LABELMAP).regex("foo(.*)").replacement("$1").build()),
            labels("foo", "1", "foobar", "2", "bar", "2")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource
  void labelMap(String name, Labels in, List<RelabelRule> rules, Labels out) {
    check(in, rules, out);
  }

  static Stream<Arguments> labelDropAndKeep() {
    Labels abb = labels("a", "foo", "b1", "bar", "b2", "baz");
    return Stream.of(
        row(
            "labelkeep",
            abb,
            List.of(rule(RelabelAction.LABELKEEP).regex("(b.*)").build()),
            labels("b1", "bar", "b2", "baz")),
        row(
            "labeldrop",
            abb,
            List.of(rule(RelabelAction.LABELDROP).regex("(b.*)").build()),
            labels("a", "foo")),
        row(
            "labeldrop matching nothing",
            abb,
            List.of(rule(RelabelAction.LABELDROP).regex("zzz").build()),
            abb),
        row(
            "labelkeep of everything",
            abb,
            List.of(rule(RelabelAction.LABELKEEP).regex(".+").build()),
            abb),
        row(
            "labelkeep of nothing",
            abb,
            List.of(rule(RelabelAction.LABELKEEP).regex("zzz").build()),
            Labels.EMPTY),
        row(
            "labeldrop sees labels set by earlier rules",
            labels("a", "1"),
            List.of(
                rule(RelabelAction.REPLACE).targetLabel("tmp_x").replacement("v").build(),
                rule(RelabelAction.LABELDROP).regex("tmp_.*").build()),
            labels("a", "1")),
        row(
            "a dropped label can be written again (Prometheus issue 12283)",
            labels(
                "__meta_kubernetes_pod_container_port_name",
                "foo",
                "__meta_kubernetes_pod_annotation_XXX_metrics_port",
                "9091"),
            List.of(
                rule(RelabelAction.LABELDROP)
                    .regex("^__meta_kubernetes_pod_container_port_name$")
                    .build(),
                rule(RelabelAction.REPLACE)
                    .sourceLabels("__meta_kubernetes_pod_annotation_XXX_metrics_port")
                    .regex("(.+)")
                    .targetLabel("__meta_kubernetes_pod_container_port_name")
                    .replacement("metrics")
                    .build(),
                rule(RelabelAction.KEEP)
                    .sourceLabels("__meta_kubernetes_pod_container_port_name")
                    .regex("^metrics$")
                    .build()),
            labels(
                "__meta_kubernetes_pod_annotation_XXX_metrics_port",
                "9091",
                "__meta_kubernetes_pod_container_port_name",
                "metrics")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource
  void labelDropAndKeep(String name, Labels in, List<RelabelRule> rules, Labels out) {
    check(in, rules, out);
  }

  static Stream<Arguments> lowerAndUpperCase() {
    return Stream.of(
        row(
            "upper and lower",
            labels("foo", "bAr123Foo"),
            List.of(
                rule(RelabelAction.UPPERCASE).sourceLabels("foo").targetLabel("foo_upper").build(),
                rule(RelabelAction.LOWERCASE).sourceLabels("foo").targetLabel("foo_lower").build()),
            labels("foo", "bAr123Foo", "foo_lower", "bar123foo", "foo_upper", "BAR123FOO")),
        row(
            "Go's simple case mapping: no final sigma, no dotted i, no SS",
            labels("g", "ΣΑΣ İ", "s", "straße"),
            List.of(
                rule(RelabelAction.LOWERCASE).sourceLabels("g").targetLabel("g_lower").build(),
                rule(RelabelAction.UPPERCASE).sourceLabels("s").targetLabel("s_upper").build()),
            labels("g", "ΣΑΣ İ", "s", "straße", "g_lower", "σασ i", "s_upper", "STRAßE")),
        row(
            "lowercase of an absent source deletes the target",
            labels("t", "x"),
            List.of(rule(RelabelAction.LOWERCASE).sourceLabels("absent").targetLabel("t").build()),
            Labels.EMPTY),
        row(
            "lowercase in place",
            labels("t", "ABC"),
            List.of(rule(RelabelAction.LOWERCASE).sourceLabels("t").targetLabel("t").build()),
            labels("t", "abc")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource
  void lowerAndUpperCase(String name, Labels in, List<RelabelRule> rules, Labels out) {
    check(in, rules, out);
  }

  @Test
  void legacyNamesRejectAnExpandedTargetThatUtf8Accepts() {
    Labels in = labels("a", "x.y");
    List<RelabelRule> rules =
        List.of(
            rule(RelabelAction.REPLACE)
                .sourceLabels("a")
                .regex("(.*)")
                .targetLabel("${1}")
                .replacement("v")
                .build());
    assertThat(Relabeler.process(in, rules)).isEqualTo(labels("a", "x.y", "x.y", "v"));
    assertThat(Relabeler.process(in, rules, NameValidation.LEGACY)).isSameAs(in);
  }

  @Test
  void noRulesReturnsTheInput() {
    Labels in = labels("a", "1");
    assertThat(Relabeler.process(in, List.of())).isSameAs(in);
  }

  @Test
  void editsThatCancelOutReturnTheInput() {
    Labels in = labels("a", "1", "b", "2");
    List<RelabelRule> rules =
        List.of(
            rule(RelabelAction.REPLACE).targetLabel("a").replacement("changed").build(),
            rule(RelabelAction.LABELDROP).regex("b").build(),
            rule(RelabelAction.REPLACE).targetLabel("tmp").replacement("x").build(),
            rule(RelabelAction.REPLACE).targetLabel("b").replacement("2").build(),
            rule(RelabelAction.REPLACE).targetLabel("a").replacement("1").build(),
            rule(RelabelAction.LABELDROP).regex("tmp").build());
    assertThat(Relabeler.process(in, rules)).isSameAs(in);
  }
}
