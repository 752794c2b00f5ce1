package io.meridian.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meridian.model.Labels;
import io.meridian.storage.Appender;
import io.meridian.storage.ChunkIterator;
import io.meridian.storage.SampleIterator;
import io.meridian.tsdb.chunk.XorChunk;
import io.meridian.tsdb.chunk.XorEncoder;
import io.meridian.tsdb.head.Head;
import io.meridian.tsdb.head.HeadOptions;
import io.meridian.tsdb.head.Journal;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

/** The client's decoding of both remote read answers, and its refusals of bad ones. */
class ReadResponsesTest {
  private static final int LIMIT = 1 << 20;

  @Test
  void samplesAnswerKeepsTheRangeAndSkipsHistograms() throws Exception {
    ProtoWriter w = new ProtoWriter(64);
    int result = w.begin(1);
    int ts = w.begin(1);
    label(w, "__name__", "up");
    label(w, "job", "a");
    for (long t = 0; t <= 5000; t += 1000) {
      int s = w.begin(2);
      w.doubleField(1, t / 1000.0).varintField(2, t);
      w.end(s);
    }
    w.bytesField(4, new byte[] {8, 1}); // a native histogram: skipped
    w.end(ts);
    w.end(result);
    byte[] body = WriteRequests.snappy(w);
    List<RemoteSeries> got = ReadResponses.samples(body, body.length, LIMIT, 1000, 3000);
    assertThat(got).hasSize(1);
    assertThat(got.getFirst().labels()).isEqualTo(Labels.of("__name__", "up", "job", "a"));
    assertThat(samples(got.getFirst().iterator(null))).isEqualTo("1000=1.0 2000=2.0 3000=3.0");
    // The chunk view of the same samples (what /api/v1/read passes on).
    ChunkIterator chunks = got.getFirst().chunks(null);
    assertThat(chunks.next()).isTrue();
    assertThat(chunks.minTime()).isEqualTo(1000);
    assertThat(chunks.maxTime()).isEqualTo(3000);
    assertThat(samples(chunks.chunk().iterator(null))).isEqualTo("1000=1.0 2000=2.0 3000=3.0");
    assertThat(chunks.next()).isFalse();
  }

  @Test
  void samplesAnswerRefusesDisorderBadLabelsAndBombs() {
    ProtoWriter w = new ProtoWriter(64);
    int result = w.begin(1);
    int ts = w.begin(1);
    label(w, "__name__", "up");
    for (long t : new long[] {2000, 1000}) {
      int s = w.begin(2);
      w.doubleField(1, 1).varintField(2, t);
      w.end(s);
    }
    w.end(ts);
    w.end(result);
    byte[] disorder = WriteRequests.snappy(w);
    assertThatThrownBy(() -> ReadResponses.samples(disorder, disorder.length, LIMIT, 0, 9999))
        .isInstanceOf(ProtoException.class)
        .hasMessage("samples out of order in series {__name__=\"up\"}: 1000 after 2000");

    w.reset();
    result = w.begin(1);
    ts = w.begin(1);
    label(w, "job", "a");
    label(w, "job", "b");
    w.end(ts);
    w.end(result);
    byte[] twice = WriteRequests.snappy(w);
    assertThatThrownBy(() -> ReadResponses.samples(twice, twice.length, LIMIT, 0, 1))
        .hasMessageStartingWith("invalid series labels:");

    byte[] big = WriteRequests.snappy(new byte[4096]);
    assertThatThrownBy(() -> ReadResponses.samples(big, big.length, 1024, 0, 1))
        .hasMessage("snappy: decoded length 4096 exceeds the limit of 1024 bytes");
    assertThatThrownBy(() -> ReadResponses.samples(new byte[] {5, 1}, 2, LIMIT, 0, 1))
        .hasMessageStartingWith("snappy: corrupt input");
  }

  @Test
  void streamedAnswerFromReadServerDecodesAndTrims() throws Exception {
    Head head = new Head(HeadOptions.defaults(), Journal.NONE);
    Appender app = head.appender();
    for (long t = 0; t <= 300_000; t += 1000) {
      app.append(Labels.of("__name__", "up", "job", "a"), t, (double) t);
      app.append(Labels.of("__name__", "up", "job", "b"), t, 1);
    }
    app.commit();
    ReadServer.Request req =
        new ReadServer.Request(
            List.of(
                new ReadServer.Query(
                    0, 300_000, List.of(io.meridian.model.Matcher.equal("__name__", "up")))),
            List.of(ReadServer.ResponseType.STREAMED_XOR_CHUNKS));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ReadServer.streamChunks(req, head, Labels.EMPTY, out, 64); // a frame per series
    byte[] b = out.toByteArray();
    List<RemoteSeries> got = ReadResponses.streamed(b, b.length, LIMIT, 150_500, 152_000);
    assertThat(got).extracting(s -> s.labels().get("job")).containsExactly("a", "b");
    assertThat(samples(got.get(0).iterator(null))).isEqualTo("151000=151000.0 152000=152000.0");
    // Whole chunks for the chunk view: three of 120 samples or fewer.
    int chunks = 0;
    for (ChunkIterator it = got.get(0).chunks(null); it.next(); ) {
      chunks++;
    }
    assertThat(chunks).isEqualTo(3);
  }

  @Test
  void aSeriesContinuedInTheNextFrameIsJoined() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(frame(series(Labels.of("job", "a"), chunk(0, 1, 2))));
    out.write(frame(series(Labels.of("job", "a"), chunk(3, 4))));
    out.write(frame(series(Labels.of("job", "b"), chunk(0))));
    byte[] b = out.toByteArray();
    List<RemoteSeries> got = ReadResponses.streamed(b, b.length, LIMIT, 0, 100);
    assertThat(got).hasSize(2);
    assertThat(samples(got.get(0).iterator(null))).isEqualTo("0=0.0 1=1.0 2=2.0 3=3.0 4=4.0");
  }

  @Test
  void streamedAnswerRefusesBadFrames() throws Exception {
    byte[] good = frame(series(Labels.of("job", "a"), chunk(0, 1, 2)));
    assertThat(ReadResponses.streamed(good, good.length, LIMIT, 0, 10)).hasSize(1);

    byte[] flipped = good.clone();
    flipped[flipped.length - 1] ^= 1;
    assertStreamedFails(flipped, LIMIT, "frame checksum mismatch at byte 5");

    assertStreamedFails(
        Arrays.copyOf(good, good.length - 3),
        LIMIT,
        "frame truncated: a checksum and 40 bytes claimed, 41 bytes left");
    assertStreamedFails(new byte[] {(byte) 0x80}, LIMIT, "frame header truncated at byte 1");
    assertStreamedFails(good, 16, "frame of 40 bytes exceeds the limit of 16 bytes");
    // A length far beyond the body is refused by the limit before anything else.
    assertStreamedFails(
        new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0x7f, 0, 0, 0, 0},
        LIMIT,
        "frame of 268435455 bytes exceeds the limit of 1048576 bytes");

    ProtoWriter otherQuery = series(Labels.of("job", "a"), chunk(0));
    otherQuery.varintField(2, 3);
    assertStreamedFails(frame(otherQuery), LIMIT, "frame for query 3 of a one-query request");

    ProtoWriter overlap = series(Labels.of("job", "a"), chunk(0, 5), chunk(3, 9));
    assertStreamedFails(frame(overlap), LIMIT, "chunk [3, 9] of series {job=\"a\"} overlaps");

    // A chunk whose bytes end before its sample count says.
    byte[] data = bytes(chunk(0, 1, 2, 3));
    ProtoWriter cut = new ProtoWriter(64);
    int s = cut.begin(1);
    label(cut, "job", "a");
    int c = cut.begin(2);
    cut.varintField(1, 0).varintField(2, 3).varintField(3, 1);
    cut.bytesField(4, data, 0, 4);
    cut.end(c);
    cut.end(s);
    assertStreamedFails(frame(cut), LIMIT, "chunk of series {job=\"a\"}: XOR chunk ends after");

    // A chunk whose samples lie outside the range it claims.
    ProtoWriter lying = new ProtoWriter(64);
    s = lying.begin(1);
    label(lying, "job", "a");
    c = lying.begin(2);
    lying.varintField(1, 10).varintField(2, 20).varintField(3, 1).bytesField(4, data);
    lying.end(c);
    lying.end(s);
    assertStreamedFails(
        frame(lying), LIMIT, "chunk [10, 20] of series {job=\"a\"} has sample at 0");
  }

  @Test
  void chunksOfOtherEncodingsAreSkipped() throws Exception {
    ProtoWriter w = new ProtoWriter(64);
    int s = w.begin(1);
    label(w, "job", "a");
    int c = w.begin(2);
    w.varintField(1, 0).varintField(2, 5).varintField(3, 2).bytesField(4, new byte[] {0, 1, 2});
    w.end(c);
    w.end(s);
    byte[] b = frame(w);
    List<RemoteSeries> got = ReadResponses.streamed(b, b.length, LIMIT, 0, 10);
    assertThat(got).hasSize(1);
    assertThat(got.getFirst().iterator(null).next()).isFalse();
  }

  private static void assertStreamedFails(byte[] b, int maxFrame, String message) {
    assertThatThrownBy(() -> ReadResponses.streamed(b, b.length, maxFrame, 0, 100))
        .isInstanceOf(ProtoException.class)
        .hasMessageStartingWith(message);
  }

  static void label(ProtoWriter w, String name, String value) {
    int l = w.begin(1);
    w.stringField(1, name).stringField(2, value);
    w.end(l);
  }

  /** A ChunkedReadResponse holding one series with the given chunks (each t=v samples). */
  static ProtoWriter series(Labels labels, XorChunk... chunks) {
    ProtoWriter w = new ProtoWriter(64);
    int s = w.begin(1);
    labels.forEach((n, v) -> label(w, n, v));
    for (XorChunk ch : chunks) {
      SampleIterator it = ch.iterator(null);
      long min = Long.MAX_VALUE;
      long max = Long.MIN_VALUE;
      while (it.next()) {
        min = Math.min(min, it.t());
        max = Math.max(max, it.t());
      }
      int c = w.begin(2);
      w.varintField(1, min).varintField(2, max).varintField(3, 1).bytesField(4, ch.bytes());
      w.end(c);
    }
    w.end(s);
    return w;
  }

  static XorChunk chunk(long... ts) {
    XorEncoder e = new XorEncoder();
    for (long t : ts) {
      e.append(t, (double) t);
    }
    return e.toChunk();
  }

  private static byte[] bytes(XorChunk c) {
    ByteBuffer b = c.bytes();
    byte[] out = new byte[b.remaining()];
    b.get(out);
    return out;
  }

  /** A frame: the message's length, its CRC-32C big-endian, the message. */
  static byte[] frame(ProtoWriter msg) {
    ProtoWriter head = new ProtoWriter(16);
    head.varint(msg.length());
    CRC32C crc = new CRC32C();
    crc.update(msg.array(), 0, msg.length());
    ByteBuffer out = ByteBuffer.allocate(head.length() + 4 + msg.length());
    out.put(head.array(), 0, head.length()).putInt((int) crc.getValue());
    out.put(msg.array(), 0, msg.length());
    return out.array();
  }

  static String samples(SampleIterator it) {
    List<String> out = new ArrayList<>();
    while (it.next()) {
      out.add(it.t() + "=" + it.v());
    }
    return String.join(" ", out);
  }
}
