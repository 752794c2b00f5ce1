package io.meridian.relabel;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.re2j.Pattern;
import io.meridian.testing.SeededRandom;
import io.meridian.testing.SeededRandomExtension;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@ExtendWith(SeededRandomExtension.class)
class LiteralPrefixTest {
  private static final String[] REGEXES = {
    "pod_template_hash",
    "__meta_kubernetes_pod_label_(.+)",
    "__tmp_.*",
    "ab*c",
    "ab+",
    "ab?",
    "ab{2}",
    "a.b",
    "go_.*|process_.*",
    "(?i)abc",
    "abc(?i)def",
    "a\\.b",
    "a[bc]d",
    "x}",
    "^abc$",
    "",
    "a",
    "ab(c|d)",
    "10:80",
    "é.*",
  };

  @ParameterizedTest
  @CsvSource({
    "pod_template_hash, 17",
    "__meta_(.+), 7",
    "ab*c, 1",
    "ab+, 1",
    "ab?, 1",
    "ab{2}, 1",
    "a*, 0",
    "a.b, 1",
    "go_.*|process_.*, 0",
    "ab(c|d), 0",
    "(?i)abc, 0",
    "abc(?i)def, 3",
    "a\\.b, 1",
    "^abc, 0",
    "'', 0",
    "é, 0",
  })
  void prefixLength(String regex, int length) {
    assertThat(LiteralPrefix.length(regex)).isEqualTo(length);
  }

  @RepeatedTest(5)
  void agreesWithTheRegex(SeededRandom r) {
    String[] values = {
      "pod_template_hash",
      "pod_template_hash_x",
      "__tmp_a",
      "abc",
      "abbc",
      "ac",
      "ab",
      "a",
      "",
      "abb",
      "a.b",
      "axb",
      "go_x",
      "process_y",
      "ABC",
      "abcDEF",
      "abcdef",
      "x}",
      "acd",
      "10:80",
      "__meta_kubernetes_pod_label_app",
      "éé"
    };
    for (String regex : REGEXES) {
      Pattern re = RelabelRule.compile(regex);
      int prefix = LiteralPrefix.length(regex);
      for (int i = 0; i < 50; i++) {
        String value = r.nextBoolean() ? r.pick(values) : r.pick(values) + r.nextAscii(0, 3);
        assertThat(LiteralPrefix.matches(re, regex, prefix, value))
            .as("%s on %s", regex, value)
            .isEqualTo(re.matches(value));
      }
    }
  }
}
