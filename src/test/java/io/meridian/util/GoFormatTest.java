package io.meridian.util;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Expected strings are what Go and Prometheus print (checked against promtool's output). */
class GoFormatTest {
  @Test
  void floatsAsGoPrintsThem() {
    assertThat(GoFormat.g(1234567)).isEqualTo("1.234567e+06");
    assertThat(GoFormat.g(123456)).isEqualTo("123456");
    assertThat(GoFormat.g(0.0001)).isEqualTo("0.0001");
    assertThat(GoFormat.g(0.00001)).isEqualTo("1e-05");
    assertThat(GoFormat.g(1e21)).isEqualTo("1e+21");
    assertThat(GoFormat.g(-0.0)).isEqualTo("-0");
    assertThat(GoFormat.g(1.2345678901234567e19)).isEqualTo("1.2345678901234567e+19");
    assertThat(GoFormat.g(Double.NaN)).isEqualTo("NaN");
    assertThat(GoFormat.g(Double.NEGATIVE_INFINITY)).isEqualTo("-Inf");
    assertThat(GoFormat.g(1.5e-7)).isEqualTo("1.5e-07");
  }

  @Test
  void durationsAsGoPrintsThem() {
    assertThat(GoFormat.duration(7_200_000)).isEqualTo("2h0m0s");
    assertThat(GoFormat.duration(225_001)).isEqualTo("3m45.001s");
    assertThat(GoFormat.duration(1_500)).isEqualTo("1.5s");
    assertThat(GoFormat.duration(250)).isEqualTo("250ms");
    assertThat(GoFormat.duration(0)).isEqualTo("0s");
  }

  @Test
  void quotesAsGoDoes() {
    assertThat(GoFormat.quote("a\"b\\c\nd\u0001")).isEqualTo("\"a\\\"b\\\\c\\nd\\x01\"");
    assertThat(GoFormat.quote("é😀\uE000\u00a0")).isEqualTo("\"é😀\\ue000\\u00a0\"");
  }

  @Test
  void prometheusDurations() {
    assertThat(PromDuration.parse("1h30m")).isEqualTo(Duration.ofMinutes(90));
    assertThat(PromDuration.parse("2d")).isEqualTo(Duration.ofDays(2));
    assertThat(PromDuration.parse("1y")).isEqualTo(Duration.ofDays(365));
    assertThat(PromDuration.parse("0")).isZero();
    assertThat(PromDuration.parse("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(PromDuration.format(Duration.ofMinutes(90))).isEqualTo("1h30m");
    assertThat(PromDuration.format(Duration.ofDays(14))).isEqualTo("2w");
    assertThatThrownBy(() -> PromDuration.parse("5x"))
        .hasMessage("not a valid duration string: \"5x\"");
    assertThatThrownBy(() -> PromDuration.parse("30m1h"))
        .hasMessage("not a valid duration string: \"30m1h\"");
  }
}
