package io.meridian.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MatcherTest {

  @Test
  void equalityMatchersAndMissingLabels() {
    Labels l = Labels.of("__name__", "up", "job", "api");
    assertThat(Matcher.equal("job", "api").matches(l)).isTrue();
    assertThat(Matcher.notEqual("job", "api").matches(l)).isFalse();
    // A missing label matches as "".
    assertThat(Matcher.equal("env", "").matches(l)).isTrue();
    assertThat(Matcher.notEqual("env", "prod").matches(l)).isTrue();
    assertThat(Matcher.equal("env", "").matchesEmpty()).isTrue();
  }

  @Test
  void regexIsFullyAnchoredAndDotMatchesNewline() {
    Matcher m = Matcher.regex("job", "api|web");
    assertThat(m.matches("api")).isTrue();
    assertThat(m.matches("xapi")).isFalse();
    assertThat(m.matches("apix")).isFalse();
    assertThat(Matcher.regex("a", "x.y").matches("x\ny")).isTrue();
    assertThat(Matcher.notRegex("job", ".+").matches("")).isTrue();
    assertThat(Matcher.notRegex("job", ".+").matchesEmpty()).isTrue();
    assertThat(Matcher.regex("job", ".+").matchesEmpty()).isFalse();
  }

  @Test
  void badRegexSaysWhy() {
    assertThatThrownBy(() -> Matcher.regex("job", "a("))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("invalid regular expression \"a(\": ");
  }

  @Test
  void printsAsPromql() {
    assertThat(Matcher.regex("job", "a\"b").toString()).isEqualTo("job=~\"a\\\"b\"");
    assertThat(Matcher.notEqual("service.name", "x").toString())
        .isEqualTo("\"service.name\"!=\"x\"");
    assertThat(Matcher.equal("a", "b")).isEqualTo(Matcher.of(MatchType.EQUAL, "a", "b"));
  }
}
