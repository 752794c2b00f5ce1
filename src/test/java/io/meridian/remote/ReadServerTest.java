package io.meridian.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meridian.model.Labels;
import io.meridian.storage.Appender;
import io.meridian.storage.SampleIterator;
import io.meridian.tsdb.chunk.XorChunk;
import io.meridian.tsdb.head.Head;
import io.meridian.tsdb.head.HeadOptions;
import io.meridian.tsdb.head.Journal;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ReadServerTest {
  private final Head head = new Head(HeadOptions.defaults(), Journal.NONE);

  @BeforeEach
  void load() throws Exception {
    Appender app = head.appender();
    for (long t = 0; t <= 10_000; t += 1000) {
      app.append(Labels.of("__name__", "up", "job", "a"), t, t / 1000.0);
      app.append(Labels.of("__name__", "up", "job", "b", "cluster", "own"), t, 1);
      app.append(Labels.of("__name__", "other"), t, 2);
    }
    app.commit();
  }

  /** A ReadRequest: one query per {start, end, matchers...} with matchers as "type name value". */
  private static byte[] request(int[] accepted, Object[]... queries) {
    ProtoWriter w = new ProtoWriter(64);
    for (Object[] q : queries) {
      int qm = w.begin(1);
      w.varintField(1, (Long) q[0]).varintField(2, (Long) q[1]);
      for (int i = 2; i < q.length; i++) {
        String[] m = ((String) q[i]).split(" ", 3);
        int mm = w.begin(3);
        w.varintField(1, Integer.parseInt(m[0])).stringField(2, m[1]).stringField(3, m[2]);
        w.end(mm);
      }
      w.end(qm);
    }
    for (int a : accepted) {
      w.varintField(2, a);
    }
    return WriteRequests.snappy(w);
  }

  @Test
  void answersSamplesPerQueryWithExternalLabelsAdded() throws Exception {
    byte[] body =
        request(
            new int[0],
            new Object[] {2000L, 4000L, "0 __name__ up"},
            new Object[] {0L, 100_000L, "0 __name__ other", "0 cluster c1"},
            new Object[] {0L, 100_000L, "0 __name__ other", "0 cluster c2"});
    ReadServer.Request req = ReadServer.decode(body, body.length);
    assertThat(req.responseType()).isEqualTo(ReadServer.ResponseType.SAMPLES);
    byte[] answer = ReadServer.samples(req, head, Labels.of("cluster", "c1"), 1000);
    List<String> results = decodeReadResponse(answer);
    assertThat(results)
        .containsExactly(
            // In the store's order (by stored labels), external ones added after.
            "q0 {__name__=\"up\", cluster=\"own\", job=\"b\"} 2000=1.0 3000=1.0 4000=1.0",
            "q0 {__name__=\"up\", cluster=\"c1\", job=\"a\"} 2000=2.0 3000=3.0 4000=4.0",
            "q1 {__name__=\"other\", cluster=\"c1\"} 0=2.0 1000=2.0 2000=2.0 3000=2.0 4000=2.0"
                + " 5000=2.0 6000=2.0 7000=2.0 8000=2.0 9000=2.0 10000=2.0");
    assertThatThrownBy(() -> ReadServer.samples(req, head, Labels.EMPTY, 5))
        .hasMessage("exceeded sample limit (5)");
  }

  @Test
  void streamsTheStoresChunksInCheckedFrames() throws Exception {
    byte[] body = request(new int[] {1, 0}, new Object[] {0L, 10_000L, "2 job a|b"});
    ReadServer.Request req = ReadServer.decode(body, body.length);
    assertThat(req.responseType()).isEqualTo(ReadServer.ResponseType.STREAMED_XOR_CHUNKS);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ReadServer.streamChunks(req, head, Labels.EMPTY, out, 64); // small frames: one series each
    byte[] b = out.toByteArray();
    List<String> series = new ArrayList<>();
    int frames = 0;
    for (int p = 0; p < b.length; frames++) {
      ProtoReader r = new ProtoReader(b, p, b.length);
      int len = (int) r.varint();
      int crcAt = r.position();
      long crc = ByteBuffer.wrap(b, crcAt, 4).getInt() & 0xffffffffL;
      CRC32C c = new CRC32C();
      c.update(b, crcAt + 4, len);
      assertThat(crc).isEqualTo(c.getValue());
      ProtoReader msg = new ProtoReader(b, crcAt + 4, crcAt + 4 + len);
      while (msg.hasMore()) {
        int tag = msg.tag();
        assertThat(ProtoReader.field(tag)).isEqualTo(1); // query index 0 is left out
        int end = msg.lengthEnd();
        series.add(chunkedSeries(new ProtoReader(b, msg.position(), end)));
        msg.skipTo(end);
      }
      p = crcAt + 4 + len;
    }
    assertThat(frames).isEqualTo(2);
    assertThat(series)
        .containsExactly(
            "{__name__=\"up\", cluster=\"own\", job=\"b\"} [0..10000 XOR 11 samples, last 1.0]",
            "{__name__=\"up\", job=\"a\"} [0..10000 XOR 11 samples, last 10.0]");
  }

  @Test
  void badRequestsSayWhy() {
    assertThatThrownBy(() -> ReadServer.decode(new byte[] {5, 1, 2}, 3))
        .isInstanceOf(ReadServer.BadRequest.class)
        .hasMessageStartingWith("snappy: corrupt input");
    byte[] badType = request(new int[0], new Object[] {0L, 1L, "7 job a"});
    assertThatThrownBy(() -> ReadServer.decode(badType, badType.length))
        .hasMessage("unknown label matcher type 7");
    byte[] badRegex = request(new int[0], new Object[] {0L, 1L, "2 job ("});
    assertThatThrownBy(() -> ReadServer.decode(badRegex, badRegex.length))
        .hasMessageStartingWith("invalid matcher:");
  }

  private static String chunkedSeries(ProtoReader r) throws Exception {
    StringBuilder labels = new StringBuilder();
    StringBuilder chunks = new StringBuilder();
    List<String> pairs = new ArrayList<>();
    while (r.hasMore()) {
      int tag = r.tag();
      int end = r.lengthEnd();
      ProtoReader sub = new ProtoReader(r.bytes(), r.position(), end);
      if (ProtoReader.field(tag) == 1) {
        pairs.add(strings(sub));
      } else {
        long min = 0;
        long max = 0;
        long type = 0;
        byte[] data = null;
        while (sub.hasMore()) {
          int t = sub.tag();
          switch (ProtoReader.field(t)) {
            case 1 -> min = sub.varint();
            case 2 -> max = sub.varint();
            case 3 -> type = sub.varint();
            default -> {
              int e = sub.lengthEnd();
              data = java.util.Arrays.copyOfRange(sub.bytes(), sub.position(), e);
              sub.skipTo(e);
            }
          }
        }
        XorChunk chunk = new XorChunk(ByteBuffer.wrap(data));
        SampleIterator it = chunk.iterator(null);
        double last = 0;
        while (it.next()) {
          last = it.v();
        }
        chunks.append(
            "["
                + min
                + ".."
                + max
                + (type == 1 ? " XOR " : " ?")
                + chunk.numSamples()
                + " samples, last "
                + last
                + "]");
      }
      r.skipTo(end);
    }
    labels.append("{").append(String.join(", ", pairs)).append("}");
    return labels + " " + chunks;
  }

  private static String strings(ProtoReader r) throws Exception {
    String[] kv = new String[2];
    while (r.hasMore()) {
      int tag = r.tag();
      int e = r.lengthEnd();
      kv[ProtoReader.field(tag) - 1] =
          new String(r.bytes(), r.position(), e - r.position(), StandardCharsets.UTF_8);
      r.skipTo(e);
    }
    return kv[0] + "=\"" + kv[1] + "\"";
  }

  /** A ReadResponse as lines "qN labels t=v ...". */
  private static List<String> decodeReadResponse(byte[] snappy) throws Exception {
    var d = io.airlift.compress.v3.snappy.SnappyDecompressor.create();
    byte[] raw = new byte[d.getUncompressedLength(snappy, 0)];
    d.decompress(snappy, 0, snappy.length, raw, 0, raw.length);
    List<String> out = new ArrayList<>();
    ProtoReader r = new ProtoReader(raw, 0, raw.length);
    int q = 0;
    while (r.hasMore()) {
      r.tag();
      int resultEnd = r.lengthEnd();
      ProtoReader result = new ProtoReader(raw, r.position(), resultEnd);
      while (result.hasMore()) {
        result.tag();
        int tsEnd = result.lengthEnd();
        ProtoReader ts = new ProtoReader(raw, result.position(), tsEnd);
        List<String> pairs = new ArrayList<>();
        StringBuilder samples = new StringBuilder();
        while (ts.hasMore()) {
          int tag = ts.tag();
          int e = ts.lengthEnd();
          ProtoReader sub = new ProtoReader(raw, ts.position(), e);
          if (ProtoReader.field(tag) == 1) {
            pairs.add(strings(sub));
          } else {
            double v = 0;
            long t = 0;
            while (sub.hasMore()) {
              int st = sub.tag();
              if (ProtoReader.field(st) == 1) {
                v = sub.double64();
              } else {
                t = sub.varint();
              }
            }
            samples.append(' ').append(t).append('=').append(v);
          }
          ts.skipTo(e);
        }
        out.add("q" + q + " {" + String.join(", ", pairs) + "}" + samples);
        result.skipTo(tsEnd);
      }
      r.skipTo(resultEnd);
      q++;
    }
    return out;
  }
}
