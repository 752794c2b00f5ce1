package io.meridian.exposition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meridian.exposition.ExpositionParser.Entry;
import io.meridian.model.Labels;
import io.meridian.testing.SeededRandom;
import io.meridian.testing.SeededRandomExtension;
import io.meridian.util.Hash128;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(SeededRandomExtension.class)
class ExpositionParserTest {

  private static ExpositionParser parser(String body, TextFormat f) {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    return new ExpositionParser(b, b.length, f);
  }

  @Test
  void readsOpenMetrics() throws Exception {
    ExpositionParser p =
        parser(
            """
            # TYPE http_requests counter
            # HELP http_requests Requests \\"served\\".
            # UNIT http_requests requests
            http_requests_total{code="200",path="/a\\"b\\\\c\\nd"} 1027 1700000000.123
            http_requests_created{code="200",path="/x"} 1.7e9
            temp 21.5 # {trace_id="abc"} 1.0 1700000000
            # EOF
            """,
            TextFormat.OPENMETRICS_1_0);
    assertThat(p.next()).isEqualTo(Entry.TYPE);
    assertThat(p.metricFamily()).isEqualTo("http_requests");
    assertThat(p.text()).isEqualTo("counter");
    assertThat(p.next()).isEqualTo(Entry.HELP);
    assertThat(p.text()).isEqualTo("Requests \"served\".");
    assertThat(p.next()).isEqualTo(Entry.UNIT);
    assertThat(p.next()).isEqualTo(Entry.SERIES);
    assertThat(p.labels())
        .isEqualTo(
            Labels.of("__name__", "http_requests_total", "code", "200", "path", "/a\"b\\c\nd"));
    assertThat(p.value()).isEqualTo(1027.0);
    assertThat(p.hasTimestamp()).isTrue();
    assertThat(p.timestamp()).isEqualTo(1_700_000_000_123L);
    assertThat(p.next()).isEqualTo(Entry.SERIES);
    assertThat(p.value()).isEqualTo(1.7e9);
    assertThat(p.hasTimestamp()).isFalse();
    assertThat(p.next()).isEqualTo(Entry.SERIES);
    assertThat(p.labels()).isEqualTo(Labels.of("__name__", "temp"));
    assertThat(p.value()).isEqualTo(21.5);
    assertThat(p.next()).isEqualTo(Entry.EOF);
  }

  @Test
  void readsPrometheusText() throws Exception {
    ExpositionParser p =
        parser(
            """
            # a free comment
            # TYPE up gauge
            up{job="a"} 1 1700000000000

            up{job="b",} NaN
            up +Inf -5
            """,
            TextFormat.PROMETHEUS_0_0_4);
    assertThat(p.next()).isEqualTo(Entry.TYPE);
    assertThat(p.next()).isEqualTo(Entry.SERIES);
    assertThat(p.timestamp()).isEqualTo(1_700_000_000_000L);
    assertThat(p.next()).isEqualTo(Entry.SERIES);
    assertThat(p.value()).isNaN();
    assertThat(p.labels()).isEqualTo(Labels.of("__name__", "up", "job", "b"));
    assertThat(p.next()).isEqualTo(Entry.SERIES);
    assertThat(p.value()).isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(p.timestamp()).isEqualTo(-5);
    assertThat(p.next()).isEqualTo(Entry.EOF);
  }

  @Test
  void errorsNameTheLine() {
    assertThatThrownBy(() -> drain(parser("a 1\nb{x=1} 2\n", TextFormat.PROMETHEUS_0_0_4)))
        .isInstanceOf(ParseException.class)
        .hasMessage("line 2: expected a quoted label value, got \"1} 2\"");
    assertThatThrownBy(() -> drain(parser("a one\n", TextFormat.PROMETHEUS_0_0_4)))
        .hasMessage("line 1: invalid value \"one\"");
    assertThatThrownBy(() -> drain(parser("a 1\n", TextFormat.OPENMETRICS_1_0)))
        .hasMessage("line 1: expected \"# EOF\" at the end of an OpenMetrics body");
    assertThatThrownBy(() -> drain(parser("# EOF\na 1\n", TextFormat.OPENMETRICS_1_0)))
        .hasMessage("line 2: unexpected content after \"# EOF\"");
    assertThatThrownBy(() -> drain(parser("a{b=\"1\",b=\"2\"} 1\n", TextFormat.PROMETHEUS_0_0_4)))
        .hasMessage("line 1: duplicate label name \"b\"");
  }

  /** The allocation-free float path agrees with Double.parseDouble on plain decimals. */
  @Test
  void floatsParseExactly(SeededRandom random) throws Exception {
    StringBuilder body = new StringBuilder();
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < 5000; i++) {
      String v =
          switch (random.nextInt(4)) {
            case 0 -> Long.toString(random.nextLong(-1_000_000_000_000L, 1_000_000_000_000L));
            case 1 -> String.format("%.9f", random.nextDouble() * 1e4);
            case 2 -> Double.toString(random.nextDouble() * Math.pow(10, random.nextInt(-20, 20)));
            default -> "0." + random.nextAscii(1, 1).replaceAll("\\D", "5") + random.nextInt(1000);
          };
      texts.add(v);
      body.append("m ").append(v).append('\n');
    }
    ExpositionParser p = parser(body.toString(), TextFormat.PROMETHEUS_0_0_4);
    for (String v : texts) {
      assertThat(p.next()).isEqualTo(Entry.SERIES);
      assertThat(Double.doubleToRawLongBits(p.value()))
          .as(v)
          .isEqualTo(Double.doubleToRawLongBits(Double.parseDouble(v)));
    }
  }

  private static void drain(ExpositionParser p) throws ParseException {
    for (Entry e = p.next(); e != Entry.EOF; e = p.next()) {
      if (e == Entry.SERIES) {
        p.labels();
      }
    }
  }

  @Test
  void deferredLabelChecksStillFindTheSeriesEndAndFailOnAsking() throws ParseException {
    ExpositionParser p =
        parser(
            "a{x=\"}\\\" y\",y=\"2\"} 1\nb{9bad=\"v\"} 2\nc{x=\"1\" 3\n",
            TextFormat.PROMETHEUS_0_0_4);
    p.deferLabelChecks();
    assertThat(p.next()).isEqualTo(ExpositionParser.Entry.SERIES);
    assertThat(p.value()).isEqualTo(1.0);
    assertThat(p.labels().get("x")).isEqualTo("}\" y");
    assertThat(p.labels().get("y")).isEqualTo("2");
    assertThat(p.next()).isEqualTo(ExpositionParser.Entry.SERIES);
    assertThat(p.value()).isEqualTo(2.0);
    assertThatThrownBy(p::labels).isInstanceOf(ParseException.class).hasMessageContaining("line 2");
    // A label set without an end is refused at once, as without deferral.
    assertThatThrownBy(p::next).isInstanceOf(ParseException.class).hasMessageContaining("line 3");
  }

  @Test
  void anExpectedSeriesIsMatchedByItsBytesAndStillReadsWhole() throws ParseException {
    ExpositionParser p =
        parser("a{x=\"1\"} 1 1000\na{x=\"1\"}x 2\nup 3\n", TextFormat.PROMETHEUS_0_0_4);
    p.deferLabelChecks();
    expect(p, "a{x=\"1\"}");
    assertThat(p.next()).isEqualTo(ExpositionParser.Entry.SERIES);
    assertThat(p.matchedExpected()).isTrue();
    assertThat(p.value()).isEqualTo(1.0);
    assertThat(p.timestamp()).isEqualTo(1000);
    assertThat(p.metricFamily()).isEqualTo("a");
    assertThat(p.labels()).isEqualTo(Labels.of("__name__", "a", "x", "1"));
    // The same bytes followed by more than a space are another line: read the usual way.
    expect(p, "a{x=\"1\"}");
    assertThatThrownBy(p::next).isInstanceOf(ParseException.class);
    p = parser("up 3\n", TextFormat.PROMETHEUS_0_0_4);
    p.deferLabelChecks();
    expect(p, "up");
    assertThat(p.next()).isEqualTo(ExpositionParser.Entry.SERIES);
    assertThat(p.matchedExpected()).isTrue();
    assertThat(p.labels()).isEqualTo(Labels.of("__name__", "up"));
  }

  @Test
  void anotherSeriesOfTheExpectedLengthIsReadTheUsualWay() throws ParseException {
    ExpositionParser p = parser("a{x=\"1\"} 1\na{x=\"1\"} 2\n", TextFormat.PROMETHEUS_0_0_4);
    p.deferLabelChecks();
    expect(p, "a{x=\"2\"}");
    assertThat(p.next()).isEqualTo(ExpositionParser.Entry.SERIES);
    assertThat(p.matchedExpected()).isFalse();
    assertThat(p.labels()).isEqualTo(Labels.of("__name__", "a", "x", "1"));
    p.expect(-1, 0, 0);
    assertThat(p.next()).isEqualTo(ExpositionParser.Entry.SERIES);
    assertThat(p.matchedExpected()).isFalse();
    assertThat(p.value()).isEqualTo(2.0);
  }

  private static void expect(ExpositionParser p, String series) {
    byte[] b = series.getBytes(StandardCharsets.UTF_8);
    Hash128 h = new Hash128();
    h.hash(b, 0, b.length);
    p.expect(b.length, h.lo(), h.hi());
  }
}
