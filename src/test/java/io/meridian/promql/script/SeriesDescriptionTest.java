package io.meridian.promql.script;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meridian.model.Labels;
import io.meridian.model.StaleNaN;
import java.util.List;
import org.junit.jupiter.api.Test;

class SeriesDescriptionTest {

  private static List<String> values(String text) {
    return SeriesDescription.parse("m " + text, 1).values().stream()
        .map(SequenceValue::toString)
        .toList();
  }

  @Test
  void expandingNotation() {
    assertThat(values("1+2x3")).containsExactly("1", "3", "5", "7");
    assertThat(values("1-1x4")).containsExactly("1", "0", "-1", "-2", "-3");
    assertThat(values("1x3")).containsExactly("1", "1", "1", "1");
    assertThat(values("-2+1x2")).containsExactly("-2", "-1", "0");
    assertThat(values("0+1.5x2")).containsExactly("0", "1.5", "3");
    assertThat(values("1e3 9.5E+2 -1.5e-1 .5")).containsExactly("1000", "950", "-0.15", "0.5");
  }

  @Test
  void blanksAndSpecialValues() {
    assertThat(values("1 _ _x2 3")).containsExactly("1", "_", "_", "_", "3");
    assertThat(values("Inf -Inf +Inf inf NaN"))
        .containsExactly("+Inf", "-Inf", "+Inf", "+Inf", "NaN");
    List<SequenceValue> v = SeriesDescription.parse("m 1 stale", 1).values();
    assertThat(StaleNaN.is(v.get(1).value())).isTrue();
  }

  @Test
  void incrementsAccumulateAsPrometheusAddsThem() {
    List<SequenceValue> v = SeriesDescription.parse("m 0+0.1x3", 1).values();
    assertThat(v.get(3).value()).isEqualTo(0.1 + 0.1 + 0.1); // not 3 * 0.1
  }

  @Test
  void nativeHistogramsTakeOnePositionEachOrNPlusOneRepeated() {
    List<SequenceValue> v =
        SeriesDescription.parse(
                "m 1 {{schema:0 sum:5 count:4 buckets:[1 2 1]}} {{count:1}}x2"
                    + " {{count:1}}+{{count:2}}x1 2",
                1)
            .values();
    assertThat(v).hasSize(8); // 1 + 1 + 3 + 2 + 1
    assertThat(v.get(1).histogram()).isEqualTo("schema:0 sum:5 count:4 buckets:[1 2 1]");
    assertThat(v.subList(1, 7)).allMatch(SequenceValue::isHistogram);
    assertThat(v.get(7).value()).isEqualTo(2);
  }

  @Test
  void labels() {
    assertThat(SeriesDescription.parse("up{job=\"a\", instance='b'} 1", 1).labels())
        .isEqualTo(Labels.of("__name__", "up", "job", "a", "instance", "b"));
    assertThat(SeriesDescription.parse("{} 3", 1).labels()).isEqualTo(Labels.EMPTY);
    assertThat(SeriesDescription.parse("{job=\"a b\"} 3", 1).labels())
        .isEqualTo(Labels.of("job", "a b"));
    assertThat(SeriesDescription.parse("{\"my.metric\", \"a.b\"=\"c\"} 1", 1).labels())
        .isEqualTo(Labels.of("__name__", "my.metric", "a.b", "c"));
    assertThat(SeriesDescription.parse("up", 1).values()).isEmpty();
  }

  @Test
  void malformedDescriptionsSayWhatAndWhere() {
    assertThatThrownBy(() -> SeriesDescription.parse("m 1 two", 1))
        .hasMessage("column 5: invalid series value \"two\", expected a number or \"stale\"");
    assertThatThrownBy(() -> SeriesDescription.parse("m 1+2", 1))
        .hasMessageContaining("expected \"x<count>\"");
    assertThatThrownBy(() -> SeriesDescription.parse("m 1x", 1))
        .hasMessageContaining("invalid repetition");
    assertThatThrownBy(() -> SeriesDescription.parse("m{a=~\"b\"} 1", 1))
        .hasMessageContaining("must be set with \"=\"");
    assertThatThrownBy(() -> SeriesDescription.parse("m{a=\"b\"", 1))
        .hasMessageContaining("unterminated label set");
    assertThatThrownBy(() -> SeriesDescription.parse("m {{count:1", 1))
        .hasMessageContaining("unterminated histogram");
    assertThatThrownBy(() -> SeriesDescription.parse("1 2", 1))
        .hasMessageContaining("invalid series");
  }
}
