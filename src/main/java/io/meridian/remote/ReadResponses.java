package io.meridian.remote;

import io.meridian.model.Labels;
import io.meridian.storage.Chunk;
import io.meridian.storage.ChunkEncoding;
import io.meridian.storage.SampleIterator;
import io.meridian.tsdb.chunk.XorChunk;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Decodes the two answers to a remote read request of one query ({@code
 * ../shared/specs/prompb/remote.proto}), for {@link ReadClient}. Nothing from the wire is trusted:
 * lengths are checked against the bytes there and against limits before anything is allocated for
 * them, every frame's CRC is checked, and every chunk is decoded once here, so a series handed on
 * cannot fail later in a query.
 *
 * <p>{@code SAMPLES} ({@code application/x-protobuf}): a snappy block of {@code ReadResponse {
 * repeated QueryResult results = 1; }}, {@code QueryResult { repeated TimeSeries timeseries = 1;
 * }}, {@code TimeSeries { repeated Label labels = 1; repeated Sample samples = 2; }}, {@code Sample
 * { double value = 1; int64 timestamp = 2; }}. Native histograms (field 4) are skipped.
 *
 * <p>{@code STREAMED_XOR_CHUNKS} ({@code application/x-streamed-protobuf;
 * proto=prometheus.ChunkedReadResponse}), frames until the body ends:
 *
 * <pre>
 * ┌────────────────┬──────────────────────────┬─────────────────────────────────────┐
 * │ length uvarint │ CRC-32C of message, BE u32│ ChunkedReadResponse (length bytes)  │
 * └────────────────┴──────────────────────────┴─────────────────────────────────────┘
 * ChunkedReadResponse { repeated ChunkedSeries chunked_series = 1; int64 query_index = 2; }
 * ChunkedSeries { repeated Label labels = 1; repeated Chunk chunks = 2; }
 * Chunk { int64 min_time_ms = 1; int64 max_time_ms = 2; Encoding type = 3; bytes data = 4; }
 * </pre>
 *
 * A series may continue in the next frame (the same labels again); its chunks are joined. Chunks of
 * other encodings than XOR (native histograms) are skipped.
 */
final class ReadResponses {
  private ReadResponses() {}

  /** The series of a {@code SAMPLES} answer, keeping samples with {@code mint <= t <= maxt}. */
  static List<RemoteSeries> samples(byte[] body, int length, int maxDecoded, long mint, long maxt)
      throws ProtoException {
    byte[] raw;
    try {
      raw = SnappyBlock.decompress(body, length, maxDecoded);
    } catch (SnappyBlock.CorruptException e) {
      throw new ProtoException(e.getMessage());
    }
    ProtoReader r = new ProtoReader(raw, 0, raw.length);
    List<RemoteSeries> out = new ArrayList<>();
    SampleBuffer buf = new SampleBuffer();
    int results = 0;
    while (r.hasMore()) {
      int tag = r.tag();
      if (ProtoReader.field(tag) == 1 && ProtoReader.wireType(tag) == ProtoReader.LEN) {
        if (++results > 1) {
          throw new ProtoException("more than one query result for one query");
        }
        int end = r.lengthEnd();
        int outer = r.sub(end);
        while (r.hasMore()) {
          int t = r.tag();
          if (ProtoReader.field(t) == 1 && ProtoReader.wireType(t) == ProtoReader.LEN) {
            int e = r.lengthEnd();
            int o = r.sub(e);
            out.add(timeSeries(r, buf, mint, maxt));
            r.pop(o);
            r.skipTo(e);
          } else {
            r.skip(ProtoReader.wireType(t));
          }
        }
        r.pop(outer);
        r.skipTo(end);
      } else {
        r.skip(ProtoReader.wireType(tag));
      }
    }
    return out;
  }

  private static RemoteSeries timeSeries(ProtoReader r, SampleBuffer buf, long mint, long maxt)
      throws ProtoException {
    List<String> pairs = new ArrayList<>();
    buf.n = 0;
    long last = Long.MIN_VALUE;
    boolean any = false;
    while (r.hasMore()) {
      int tag = r.tag();
      int f = ProtoReader.field(tag);
      int wire = ProtoReader.wireType(tag);
      if (f == 1 && wire == ProtoReader.LEN) {
        label(r, pairs);
      } else if (f == 2 && wire == ProtoReader.LEN) {
        int end = r.lengthEnd();
        int outer = r.sub(end);
        double v = 0;
        long t = 0;
        while (r.hasMore()) {
          int st = r.tag();
          if (ProtoReader.field(st) == 1 && ProtoReader.wireType(st) == ProtoReader.FIXED64) {
            v = r.double64();
          } else if (ProtoReader.field(st) == 2 && ProtoReader.wireType(st) == ProtoReader.VARINT) {
            t = r.varint();
          } else {
            r.skip(ProtoReader.wireType(st));
          }
        }
        r.pop(outer);
        if (any && t <= last) {
          throw new ProtoException(
              "samples out of order in series " + labels(pairs) + ": " + t + " after " + last);
        }
        any = true;
        last = t;
        if (t >= mint && t <= maxt) {
          buf.add(t, v);
        }
      } else {
        r.skip(wire);
      }
    }
    return new RemoteSeries.Samples(
        labels(pairs), Arrays.copyOf(buf.ts, buf.n), Arrays.copyOf(buf.vs, buf.n));
  }

  /**
   * The series of a streamed answer, its frames each at most {@code maxFrame} bytes; chunks keep
   * pointing into {@code body}.
   */
  static List<RemoteSeries> streamed(byte[] body, int length, int maxFrame, long mint, long maxt)
      throws ProtoException {
    List<ChunkedBuilder> series = new ArrayList<>();
    int p = 0;
    while (p < length) {
      long n = 0;
      int shift = 0;
      while (true) {
        if (p >= length) {
          throw new ProtoException("frame header truncated at byte " + p);
        }
        byte b = body[p++];
        n |= (long) (b & 0x7f) << shift;
        if (b >= 0) {
          break;
        }
        shift += 7;
        if (shift > 35) {
          throw new ProtoException("frame length varint too long at byte " + p);
        }
      }
      if (n > maxFrame) {
        throw new ProtoException(
            "frame of " + n + " bytes exceeds the limit of " + maxFrame + " bytes");
      }
      if (length - p < 4 + n) {
        throw new ProtoException(
            "frame truncated: a checksum and "
                + n
                + " bytes claimed, "
                + (length - p)
                + " bytes left");
      }
      int crc =
          (body[p] & 0xff) << 24
              | (body[p + 1] & 0xff) << 16
              | (body[p + 2] & 0xff) << 8
              | (body[p + 3] & 0xff);
      p += 4;
      CRC32C c = new CRC32C();
      c.update(body, p, (int) n);
      if ((int) c.getValue() != crc) {
        throw new ProtoException("frame checksum mismatch at byte " + p);
      }
      frame(new ProtoReader(body, p, p + (int) n), series);
      p += (int) n;
    }
    List<RemoteSeries> out = new ArrayList<>(series.size());
    for (ChunkedBuilder b : series) {
      out.add(b.build(mint, maxt));
    }
    return out;
  }

  private static void frame(ProtoReader r, List<ChunkedBuilder> series) throws ProtoException {
    long queryIndex = 0;
    while (r.hasMore()) {
      int tag = r.tag();
      int f = ProtoReader.field(tag);
      int wire = ProtoReader.wireType(tag);
      if (f == 1 && wire == ProtoReader.LEN) {
        int end = r.lengthEnd();
        int outer = r.sub(end);
        chunkedSeries(r, series);
        r.pop(outer);
        r.skipTo(end);
      } else if (f == 2 && wire == ProtoReader.VARINT) {
        queryIndex = r.varint();
      } else {
        r.skip(wire);
      }
    }
    if (queryIndex != 0) {
      throw new ProtoException("frame for query " + queryIndex + " of a one-query request");
    }
  }

  private static void chunkedSeries(ProtoReader r, List<ChunkedBuilder> series)
      throws ProtoException {
    List<String> pairs = new ArrayList<>();
    ChunkedBuilder b = null;
    while (r.hasMore()) {
      int tag = r.tag();
      int f = ProtoReader.field(tag);
      int wire = ProtoReader.wireType(tag);
      if (f == 1 && wire == ProtoReader.LEN) {
        if (b != null) {
          throw new ProtoException("labels after chunks in a series");
        }
        label(r, pairs);
      } else if (f == 2 && wire == ProtoReader.LEN) {
        if (b == null) {
          b = builderFor(labels(pairs), series);
        }
        int end = r.lengthEnd();
        int outer = r.sub(end);
        chunk(r, b);
        r.pop(outer);
        r.skipTo(end);
      } else {
        r.skip(wire);
      }
    }
    if (b == null) {
      builderFor(labels(pairs), series);
    }
  }

  /** The series being built: the last one again when the labels repeat, else a new one. */
  private static ChunkedBuilder builderFor(Labels labels, List<ChunkedBuilder> series) {
    if (!series.isEmpty() && series.getLast().labels.equals(labels)) {
      return series.getLast();
    }
    ChunkedBuilder b = new ChunkedBuilder(labels);
    series.add(b);
    return b;
  }

  private static void chunk(ProtoReader r, ChunkedBuilder b) throws ProtoException {
    long min = 0;
    long max = 0;
    long type = 0;
    int dataOff = -1;
    int dataEnd = -1;
    while (r.hasMore()) {
      int tag = r.tag();
      int f = ProtoReader.field(tag);
      int wire = ProtoReader.wireType(tag);
      if (f == 1 && wire == ProtoReader.VARINT) {
        min = r.varint();
      } else if (f == 2 && wire == ProtoReader.VARINT) {
        max = r.varint();
      } else if (f == 3 && wire == ProtoReader.VARINT) {
        type = r.varint();
      } else if (f == 4 && wire == ProtoReader.LEN) {
        dataEnd = r.lengthEnd();
        dataOff = r.position();
        r.skipTo(dataEnd);
      } else {
        r.skip(wire);
      }
    }
    if (type != ChunkEncoding.XOR.code()) {
      return; // native histograms: not read by Meridian
    }
    if (dataOff < 0 || dataEnd - dataOff < XorChunk.HEADER_BYTES) {
      throw new ProtoException("XOR chunk of series " + b.labels + " without data");
    }
    XorChunk c = new XorChunk(ByteBuffer.wrap(r.bytes(), dataOff, dataEnd - dataOff));
    if (c.numSamples() == 0) {
      return;
    }
    check(c, min, max, b);
    b.add(c, min, max);
  }

  /** Decodes the chunk once: its samples in order, inside its stated range, after the last. */
  private static void check(XorChunk c, long min, long max, ChunkedBuilder b)
      throws ProtoException {
    if (min > max || (b.n > 0 && min <= b.maxTimes[b.n - 1])) {
      throw new ProtoException(
          "chunk [" + min + ", " + max + "] of series " + b.labels + " overlaps or is inverted");
    }
    SampleIterator it = c.iterator(null);
    long last = Long.MIN_VALUE;
    int count = 0;
    try {
      while (it.next()) {
        long t = it.t();
        if (t < min || t > max || (count > 0 && t <= last)) {
          throw new ProtoException(
              "chunk [" + min + ", " + max + "] of series " + b.labels + " has sample at " + t);
        }
        last = t;
        count++;
      }
    } catch (UncheckedIOException e) {
      throw new ProtoException("chunk of series " + b.labels + ": " + e.getCause().getMessage());
    }
  }

  private static void label(ProtoReader r, List<String> pairs) throws ProtoException {
    int end = r.lengthEnd();
    int outer = r.sub(end);
    String name = "";
    String value = "";
    while (r.hasMore()) {
      int tag = r.tag();
      int f = ProtoReader.field(tag);
      int wire = ProtoReader.wireType(tag);
      if ((f == 1 || f == 2) && wire == ProtoReader.LEN) {
        int e = r.lengthEnd();
        ProtoReader.checkUtf8(r.bytes(), r.position(), e);
        String s = new String(r.bytes(), r.position(), e - r.position(), StandardCharsets.UTF_8);
        if (f == 1) {
          name = s;
        } else {
          value = s;
        }
        r.skipTo(e);
      } else {
        r.skip(wire);
      }
    }
    r.pop(outer);
    r.skipTo(end);
    pairs.add(name);
    pairs.add(value);
  }

  private static Labels labels(List<String> pairs) throws ProtoException {
    try {
      return Labels.of(pairs.toArray(String[]::new));
    } catch (IllegalArgumentException e) {
      throw new ProtoException("invalid series labels: " + e.getMessage());
    }
  }

  /** One series' samples while they are read; reused across series. */
  private static final class SampleBuffer {
    long[] ts = new long[64];
    double[] vs = new double[64];
    int n;

    void add(long t, double v) {
      if (n == ts.length) {
        ts = Arrays.copyOf(ts, n * 2);
        vs = Arrays.copyOf(vs, n * 2);
      }
      ts[n] = t;
      vs[n] = v;
      n++;
    }
  }

  /** One streamed series' chunks while they are read. */
  private static final class ChunkedBuilder {
    final Labels labels;
    Chunk[] chunks = new Chunk[4];
    long[] minTimes = new long[4];
    long[] maxTimes = new long[4];
    int n;

    ChunkedBuilder(Labels labels) {
      this.labels = labels;
    }

    void add(Chunk c, long min, long max) {
      if (n == chunks.length) {
        chunks = Arrays.copyOf(chunks, n * 2);
        minTimes = Arrays.copyOf(minTimes, n * 2);
        maxTimes = Arrays.copyOf(maxTimes, n * 2);
      }
      chunks[n] = c;
      minTimes[n] = min;
      maxTimes[n] = max;
      n++;
    }

    RemoteSeries build(long mint, long maxt) {
      return new RemoteSeries.Chunks(
          labels,
          Arrays.copyOf(chunks, n),
          Arrays.copyOf(minTimes, n),
          Arrays.copyOf(maxTimes, n),
          mint,
          maxt);
    }
  }
}
