package io.meridian.remote;

import static io.meridian.remote.WriteRequests.seriesV1;
import static io.meridian.remote.WriteRequests.snappy;
import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.model.Labels;
import io.meridian.storage.Querier;
import io.meridian.storage.SampleIterator;
import io.meridian.storage.SelectHints;
import io.meridian.storage.SeriesSet;
import io.meridian.testing.ManualClock;
import io.meridian.tsdb.head.Head;
import io.meridian.tsdb.head.HeadOptions;
import io.meridian.tsdb.head.Journal;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class WriteReceiverTest {
  private static final long NOW = 1_700_000_000_000L;
  private static final String V2 = "application/x-protobuf;proto=io.prometheus.write.v2.Request";

  private final Head head = new Head(HeadOptions.defaults(), Journal.NONE);
  private final WriteReceiver receiver = new WriteReceiver(new ManualClock(NOW), 1 << 20);

  private WriteReceiver.Outcome post(byte[] body, String contentType) {
    return receiver.receive(body, body.length, contentType, "snappy", head);
  }

  @Test
  void storesEverySampleOfAOneZeroRequest() {
    ProtoWriter w = new ProtoWriter(64);
    seriesV1(w, new String[] {"job", "a", "__name__", "up"}, NOW - 2000, 1, NOW - 1000, 0);
    seriesV1(w, new String[] {"__name__", "m", "pod", "p-é"}, NOW - 1000, 2.5);
    int meta = w.begin(3); // metadata is read past
    w.stringField(2, "m").stringField(4, "help");
    w.end(meta);
    WriteReceiver.Outcome o = post(snappy(w), "application/x-protobuf");
    assertThat(o.status()).isEqualTo(204);
    assertThat(o.samples()).isEqualTo(3);
    assertThat(stored())
        .containsExactly(
            "m{pod=\"p-é\"} " + (NOW - 1000) + " 2.5",
            "up{job=\"a\"} " + (NOW - 2000) + " 1.0",
            "up{job=\"a\"} " + (NOW - 1000) + " 0.0");
  }

  @Test
  void aSeriesSeenBeforeIsFoundByItsBytesAndStillJudged() {
    for (int round = 0; round < 3; round++) {
      ProtoWriter w = new ProtoWriter(64);
      seriesV1(
          w,
          new String[] {"__name__", "up", "job", "a"},
          (double) (NOW - 3000 + round * 1000L),
          round);
      seriesV1(w, new String[] {"__name__", "up", "job", "b"}, NOW - 3000, round);
      WriteReceiver.Outcome o = post(snappy(w), null);
      // job="b" repeats its timestamp with another value: a duplicate from the second round on.
      assertThat(o.status()).as("round %d", round).isEqualTo(round == 0 ? 204 : 400);
    }
    assertThat(stored())
        .containsExactly(
            "up{job=\"a\"} " + (NOW - 3000) + " 0.0",
            "up{job=\"a\"} " + (NOW - 2000) + " 1.0",
            "up{job=\"a\"} " + (NOW - 1000) + " 2.0",
            "up{job=\"b\"} " + (NOW - 3000) + " 0.0");
  }

  @Test
  void keepsTheGoodSamplesAndAnswers400ForTheRest() {
    ProtoWriter first = new ProtoWriter(64);
    seriesV1(first, new String[] {"__name__", "a"}, NOW - 1000, 1);
    assertThat(post(snappy(first), null).status()).isEqualTo(204);

    ProtoWriter w = new ProtoWriter(64);
    seriesV1(w, new String[] {"__name__", "a"}, NOW - 5000, 9, NOW, 2); // first is out of order
    seriesV1(w, new String[] {"job", "no-name"}, NOW, 1);
    seriesV1(w, new String[] {"__name__", "d", "x", "1", "x", "2"}, NOW, 1);
    seriesV1(w, new String[] {"__name__", "future"}, NOW + 11 * 60_000, 1);
    seriesV1(w, new String[] {"__name__", "b"}, NOW, 3);
    WriteReceiver.Outcome o = post(snappy(w), null);
    assertThat(o.status()).isEqualTo(400);
    assertThat(o.error()).startsWith("out of order sample for series {__name__=\"a\"}");
    assertThat(o.error()).endsWith("(and 3 more samples refused)");
    assertThat(o.samples()).isEqualTo(2);
    assertThat(o.rejected()).isEqualTo(4);
    assertThat(stored())
        .containsExactly(
            "a{} " + (NOW - 1000) + " 1.0", "a{} " + NOW + " 2.0", "b{} " + NOW + " 3.0");
  }

  @Test
  void countsRequestsAndSamples() throws Exception {
    var registry = new io.prometheus.metrics.model.registry.PrometheusRegistry();
    WriteReceiver counted =
        new WriteReceiver(new ManualClock(NOW), 1 << 20, ReceiveMetrics.register(registry));
    ProtoWriter w = new ProtoWriter(64);
    seriesV1(w, new String[] {"__name__", "a"}, NOW - 1000, 1, NOW - 2000, 2); // second: too old
    byte[] body = snappy(w);
    counted.receive(body, body.length, null, null, head);
    counted.receive(new byte[] {1}, 1, "text/plain", null, head);
    var out = new java.io.ByteArrayOutputStream();
    io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter.create()
        .write(
            out,
            registry.scrape(),
            io.prometheus.metrics.config.EscapingScheme.UNDERSCORE_ESCAPING);
    assertThat(out.toString(java.nio.charset.StandardCharsets.UTF_8))
        .contains("meridian_remote_write_requests_total{code=\"400\"} 1.0")
        .contains("meridian_remote_write_requests_total{code=\"415\"} 1.0")
        .contains("meridian_remote_write_samples_stored_total 1.0")
        .contains("meridian_remote_write_samples_refused_total 1.0");
  }

  @Test
  void invalidLabelsAreNamed() {
    ProtoWriter w = new ProtoWriter(64);
    seriesV1(w, new String[] {"__name__", "d", "x", "1", "x", "2"}, NOW, 1);
    assertThat(post(snappy(w), null).error())
        .isEqualTo("invalid labels for series: duplicate label name \"x\"");
    ProtoWriter none = new ProtoWriter(64);
    seriesV1(none, new String[] {"job", "j"}, NOW, 1);
    assertThat(post(snappy(none), null).error())
        .isEqualTo("invalid metric name or labels, got {job=\"j\"}");
  }

  @Test
  void aOneZeroRequestWithSymbolsAfterItsSeriesDecodes() {
    ProtoWriter w = new ProtoWriter(64);
    int ts = w.begin(5);
    int refs = w.begin(1); // packed: __name__=up, job=j
    w.varint(1).varint(2).varint(3).varint(4);
    w.end(refs);
    int s = w.begin(2);
    w.doubleField(1, 7).varintField(2, NOW);
    w.end(s);
    w.end(ts);
    int ts2 = w.begin(5);
    for (int r : new int[] {1, 5}) { // unpacked references
      w.varintField(1, r);
    }
    int s2 = w.begin(2);
    w.doubleField(1, 8).varintField(2, NOW);
    w.end(s2);
    w.end(ts2);
    for (String sym : new String[] {"", "__name__", "up", "job", "j", "other"}) {
      w.stringField(4, sym);
    }
    WriteReceiver.Outcome o = post(snappy(w), V2);
    assertThat(o.status()).isEqualTo(204);
    assertThat(o.protocol()).isEqualTo(WriteReceiver.Protocol.V2);
    assertThat(stored())
        .containsExactly("other{} " + NOW + " 8.0", "up{job=\"j\"} " + NOW + " 7.0");
  }

  @Test
  void aBodyThatDoesNotDecodeStoresNothing() {
    ProtoWriter w = new ProtoWriter(64);
    seriesV1(w, new String[] {"__name__", "a"}, NOW, 1);
    byte[] raw = w.toByteArray();
    byte[] cut = java.util.Arrays.copyOf(raw, raw.length + 2);
    cut[raw.length] = 10; // a second series whose length runs past the end
    cut[raw.length + 1] = 50;
    WriteReceiver.Outcome o = post(snappy(cut), null);
    assertThat(o.status()).isEqualTo(400);
    assertThat(o.error()).startsWith("decoding the prometheus.WriteRequest: message truncated");
    assertThat(stored()).isEmpty();

    ProtoWriter v2 = new ProtoWriter(64);
    int ts = v2.begin(5);
    v2.varintField(1, 9);
    v2.end(ts);
    v2.stringField(4, "");
    assertThat(post(snappy(v2), V2).error()).contains("label reference 9 out of range: 1 symbols");
  }

  @Test
  void badCompressionAndBombsAreRefusedUnread() {
    assertThat(post(new byte[] {1, 2, 3}, null).error()).startsWith("snappy: corrupt input");
    assertThat(post(new byte[0], null).status()).isEqualTo(400);
    // Claims 1 GiB once inflated: refused before any allocation.
    byte[] bomb = {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 4, 0};
    WriteReceiver.Outcome o = post(bomb, null);
    assertThat(o.status()).isEqualTo(400);
    assertThat(o.error()).contains("exceeds the limit of 1048576 bytes");
  }

  @Test
  void unknownMessagesAndEncodingsAre415() {
    assertThat(post(new byte[0], "application/json").status()).isEqualTo(415);
    assertThat(post(new byte[0], "application/x-protobuf;proto=foo.Bar").error())
        .contains("unknown remote write protobuf message foo.Bar");
    assertThat(receiver.receive(new byte[0], 0, null, "gzip", head).status()).isEqualTo(415);
    assertThat(WriteReceiver.protocol("application/x-protobuf; proto=prometheus.WriteRequest"))
        .isEqualTo(WriteReceiver.Protocol.V1);
  }

  private List<String> stored() {
    List<String> out = new ArrayList<>();
    try (Querier q = head.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
      SeriesSet set = q.select(true, SelectHints.range(Long.MIN_VALUE, Long.MAX_VALUE), List.of());
      while (set.next()) {
        Labels l = set.at().labels();
        SampleIterator it = set.at().iterator(null);
        while (it.next()) {
          out.add(l.metricName() + l.withoutMetricName() + " " + it.t() + " " + it.v());
        }
      }
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    return out;
  }
}
