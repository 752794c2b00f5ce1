package io.meridian.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meridian.testing.SeededRandom;
import io.meridian.testing.SeededRandomExtension;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(SeededRandomExtension.class)
class LabelsTest {

  @Test
  void sortsByNameWhateverTheInputOrder() {
    Labels l = Labels.of("job", "node", "__name__", "up", "instance", "a:9100");

    assertThat(l.size()).isEqualTo(3);
    assertThat(List.of(l.name(0), l.name(1), l.name(2)))
        .containsExactly("__name__", "instance", "job");
    assertThat(l).isEqualTo(Labels.of("__name__", "up", "instance", "a:9100", "job", "node"));
    assertThat(l.get("job")).isEqualTo("node");
    assertThat(l.get("absent")).isNull();
    assertThat(l.metricName()).isEqualTo("up");
    assertThat(l.toString()).isEqualTo("{__name__=\"up\", instance=\"a:9100\", job=\"node\"}");
  }

  @Test
  void emptyValueMeansNoLabel() {
    assertThat(Labels.of("a", "1", "b", "")).isEqualTo(Labels.of("a", "1"));
    assertThat(Labels.of("b", "")).isSameAs(Labels.EMPTY);
    assertThat(Labels.of("a", "1").toBuilder().set("a", "").build()).isEqualTo(Labels.EMPTY);
  }

  @Test
  void builderSetsReplacesAndDeletes() {
    Labels l =
        Labels.of("a", "1", "b", "2").toBuilder().set("b", "3").set("c", "4").del("a").build();
    assertThat(l).isEqualTo(Labels.of("b", "3", "c", "4"));
    assertThat(Labels.of(Map.of("x", "1", "y", "2")).toMap())
        .containsExactly(Map.entry("x", "1"), Map.entry("y", "2"));
    assertThat(Labels.of("__name__", "up", "a", "1").withoutMetricName())
        .isEqualTo(Labels.of("a", "1"));
  }

  @Test
  void rejectsBadNamesWithClearMessages() {
    assertThatThrownBy(() -> Labels.of("", "v"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("invalid label: label name must not be empty");
    assertThatThrownBy(() -> Labels.of("a\uD800", "v"))
        .hasMessage("invalid label: label name \"a\\ud800\" is not valid UTF-8 (lone surrogate)");
    assertThatThrownBy(() -> Labels.of("job", "a", "job", "b"))
        .hasMessage("duplicate label name \"job\"");
    assertThatThrownBy(() -> Labels.of("odd"))
        .hasMessage("labels need name/value pairs, got an odd count 1");
    assertThatThrownBy(
            () -> Labels.builder().validation(NameValidation.LEGACY).set("1st", "v").build())
        .hasMessage("invalid label: label name \"1st\" must match [a-zA-Z_][a-zA-Z0-9_]*");
    assertThat(Labels.of("service.name", "x").toString()).isEqualTo("{\"service.name\"=\"x\"}");
  }

  @Test
  void legacyNameRules() {
    assertThat(NameValidation.isLegacyLabelName("_a1")).isTrue();
    assertThat(NameValidation.isLegacyLabelName("a:b")).isFalse();
    assertThat(NameValidation.isLegacyMetricName("a:b")).isTrue();
    assertThat(NameValidation.isLegacyMetricName("1a")).isFalse();
    assertThat(NameValidation.LEGACY.metricNameError("a-b"))
        .isEqualTo("metric name \"a-b\" must match [a-zA-Z_:][a-zA-Z0-9_:]*");
    assertThat(NameValidation.UTF8.labelNameError("a-b")).isNull();
  }

  @Test
  void ofSortedChecksOrderInsteadOfSorting() {
    assertThat(Labels.ofSorted(new String[] {"a", "1", "b", "2"}))
        .isEqualTo(Labels.of("b", "2", "a", "1"));
    assertThatThrownBy(() -> Labels.ofSorted(new String[] {"b", "1", "a", "2"}))
        .hasMessage("label names not strictly ascending: \"b\" before \"a\"");
  }

  @Test
  void ordersLikePrometheus() {
    Labels a = Labels.of("a", "1");
    Labels ab = Labels.of("a", "1", "b", "1");
    Labels a2 = Labels.of("a", "2");
    Labels b = Labels.of("b", "0");
    assertThat(sorted(b, a2, ab, a)).containsExactly(a, ab, a2, b);
    // UTF-8 byte order, not UTF-16 order: U+1F600 sorts after U+FFFD.
    Labels emoji = Labels.of("a", "\uD83D\uDE00");
    Labels replacement = Labels.of("a", "\uFFFD");
    assertThat(emoji.compareTo(replacement)).isPositive();
  }

  @Test
  void hashAndEqualityAgree() {
    Labels x = Labels.of("a", "1", "b", "2");
    Labels y = Labels.builder().set("b", "2").set("a", "1").build();
    assertThat(x).isEqualTo(y).hasSameHashCodeAs(y);
    assertThat(x.hash()).isEqualTo(y.hash());
    // The split between name and value takes part in the hash.
    assertThat(Labels.of("ab", "c").hash()).isNotEqualTo(Labels.of("a", "bc").hash());
    assertThat(x).isNotEqualTo(Labels.of("a", "1", "b", "3"));
  }

  /**
   * Over random label sets from a small alphabet (so that equal sets and shared prefixes are
   * common), sorting and equality agree, and the order is the one a UTF-8 byte model gives.
   */
  @Test
  void orderAgreesWithEqualityAndTheByteModel(SeededRandom random) {
    List<Labels> sets = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      int n = random.nextInt(0, 4);
      List<String> pairs = new ArrayList<>();
      List<String> names = new ArrayList<>();
      for (int j = 0; j < n; j++) {
        String name = random.nextUnicode(1, 2);
        if (!names.contains(name)) {
          names.add(name);
          pairs.add(name);
          pairs.add(random.nextUnicode(1, 2));
        }
      }
      sets.add(Labels.of(pairs.toArray(String[]::new)));
    }
    for (int i = 0; i < 20_000; i++) {
      Labels x = sets.get(random.nextInt(sets.size()));
      Labels y = sets.get(random.nextInt(sets.size()));
      int c = x.compareTo(y);
      assertThat(c == 0).as("%s vs %s", x, y).isEqualTo(x.equals(y));
      assertThat(Integer.signum(c)).as("%s vs %s", x, y).isEqualTo(-Integer.signum(y.compareTo(x)));
      assertThat(Integer.signum(c)).as("%s vs %s", x, y).isEqualTo(Integer.signum(byteModel(x, y)));
      if (x.equals(y)) {
        assertThat(x.hash()).isEqualTo(y.hash());
        assertThat(x.hashCode()).isEqualTo(y.hashCode());
      }
    }
    List<Labels> sorted = new ArrayList<>(sets);
    sorted.sort(null);
    for (int i = 1; i < sorted.size(); i++) {
      assertThat(byteModel(sorted.get(i - 1), sorted.get(i))).isLessThanOrEqualTo(0);
    }
  }

  /** Prometheus's Compare on the UTF-8 bytes, written independently of Labels. */
  private static int byteModel(Labels x, Labels y) {
    int n = Math.min(x.size(), y.size());
    for (int i = 0; i < n; i++) {
      int c = bytes(x.name(i), y.name(i));
      if (c == 0) {
        c = bytes(x.value(i), y.value(i));
      }
      if (c != 0) {
        return c;
      }
    }
    return x.size() - y.size();
  }

  private static int bytes(String a, String b) {
    return Arrays.compareUnsigned(
        a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
  }

  private static List<Labels> sorted(Labels... ls) {
    List<Labels> l = new ArrayList<>(List.of(ls));
    l.sort(null);
    return l;
  }
}
