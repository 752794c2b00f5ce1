package io.meridian.relabel;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RegexTemplateTest {
  private static final Pattern RE = RelabelRule.compile("(?P<word>[a-z]+)-(\\d+)(x)?");
  private static final String SRC = "abc-42";

  private static String expand(String template) {
    Matcher m = RE.matcher(SRC);
    assertThat(m.find()).isTrue();
    return RegexTemplate.expand(template, SRC, m, RE);
  }

  @ParameterizedTest(name = "[{index}] ''{0}'' -> ''{1}''")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      value = {
        "$1|abc",
        "${1}|abc",
        "$2|42",
        "$0|abc-42",
        "${0}|abc-42",
        "$word|abc",
        "${word}|abc",
        "$1$2|abc42",
        "<$1>-<${2}>|<abc>-<42>",
        // a group that did not take part, one that does not exist, a name that is no group
        "[$3]|[]",
        "[$4]|[]",
        "[$nope]|[]",
        // the name is the longest run of letters, digits and _: $1x is group "1x", not $1 then x
        "[$1x]|[]",
        "${1}x|abcx",
        "[$word_]|[]",
        "$word-x|abc-x",
        "${word}s|abcs",
        // non-ASCII letters belong to names too
        "[$é]|[]",
        // a leading zero makes it a name, not a number
        "[$01]|[]",
        "[$999999999]|[]",
        "[$1234567890]|[]",
        // literal dollars
        "$$|$",
        "$$1|$1",
        "$$$1|$abc",
        "a$|a$",
        "$|$",
        "$-|$-",
        "${|${",
        "${1|${1",
        "${}|${}",
        "${-}|${-}",
        "${1}}|abc}",
        "x${word|x${word",
        "no refs|no refs",
      })
  void expandsAsGo(String template, String expected) {
    assertThat(expand(template)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({"'', ''", "plain, plain"})
  void emptyOrPlainTemplate(String template, String expected) {
    assertThat(expand(template)).isEqualTo(expected);
  }

  @org.junit.jupiter.api.Test
  void templateWithoutDollarIsReturnedAsIs() {
    String t = "static_value";
    assertThat(expand(t)).isSameAs(t);
    assertThat(RegexTemplate.hasReference(t)).isFalse();
    assertThat(RegexTemplate.hasReference("a$")).isTrue();
  }

  @org.junit.jupiter.api.Test
  void groupsAreSlicedFromTheMatchedStringWithSupplementaryCharacters() {
    Pattern re = RelabelRule.compile("(.)(.*)");
    String src = "😀é😀";
    Matcher m = re.matcher(src);
    assertThat(m.find()).isTrue();
    assertThat(RegexTemplate.expand("$2|$1", src, m, re)).isEqualTo("é😀|😀");
  }

  /** The shortcut for the default regex agrees with running it. */
  @ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(
      strings = {
        "$1", "${1}", "$0", "${0}", "x$1y", "$1$1", "$2", "${name}", "$$1", "$", "${", "", "plain"
      })
  void wholeMatchShortcutAgreesWithTheDefaultRegex(String template) {
    Pattern re = RelabelRule.compile(RelabelRule.DEFAULT_REGEX);
    for (String src : new String[] {"", "abc", "line1\nline2", "😀"}) {
      Matcher m = re.matcher(src);
      assertThat(m.find()).isTrue();
      assertThat(RegexTemplate.expandWhole(template, src))
          .isEqualTo(RegexTemplate.expand(template, src, m, re));
    }
  }
}
