package io.meridian.remote;

import io.meridian.model.Labels;
import io.meridian.model.MatchType;
import io.meridian.model.Matcher;
import io.meridian.storage.Chunk;
import io.meridian.storage.ChunkEncoding;
import io.meridian.storage.ChunkIterator;
import io.meridian.storage.ChunkQuerier;
import io.meridian.storage.ChunkQueryable;
import io.meridian.storage.ChunkSeriesSet;
import io.meridian.storage.Querier;
import io.meridian.storage.Queryable;
import io.meridian.storage.SampleIterator;
import io.meridian.storage.SelectHints;
import io.meridian.storage.SeriesSet;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The serving end of remote read ({@code POST /api/v1/read}): decodes a snappy {@code
 * prometheus.ReadRequest} and answers each query from a store, as Prometheus's server does — {@code
 * SAMPLES} (one snappy {@code ReadResponse}) or, when the client lists it first, {@code
 * STREAMED_XOR_CHUNKS} (frames of {@code ChunkedReadResponse}, the store's own chunks, no
 * re-encoding). External labels are added to series that lack them; a matcher on an external label
 * is answered from that label's value, not from the store.
 */
public final class ReadServer {
  /** Prometheus's {@code --storage.remote.read-sample-limit} default. */
  public static final long DEFAULT_SAMPLE_LIMIT = 50_000_000;

  /** Prometheus's {@code --storage.remote.read-max-bytes-in-frame} default. */
  public static final int DEFAULT_MAX_FRAME_BYTES = 1 << 20;

  public static final String STREAMED_CONTENT_TYPE =
      "application/x-streamed-protobuf; proto=prometheus.ChunkedReadResponse";

  private static final int MAX_REQUEST_BYTES = 32 << 20;

  private ReadServer() {}

  /** How the answer is sent. */
  public enum ResponseType {
    SAMPLES,
    STREAMED_XOR_CHUNKS
  }

  /** One query of a request: a time range (ms, inclusive) and matchers. */
  public record Query(long start, long end, List<Matcher> matchers) {}

  /** A decoded request. */
  public record Request(List<Query> queries, List<ResponseType> accepted) {
    /** The first response type the client accepts (SAMPLES when it lists none). */
    public ResponseType responseType() {
      return accepted.isEmpty() ? ResponseType.SAMPLES : accepted.get(0);
    }
  }

  /** A request the server refuses, with the reason (HTTP 400). */
  public static final class BadRequest extends Exception {
    private static final long serialVersionUID = 1L;

    BadRequest(String message) {
      super(message);
    }
  }

  /** Decodes a snappy-compressed {@code ReadRequest}. */
  public static Request decode(byte[] body, int length) throws BadRequest {
    byte[] raw;
    try {
      raw = SnappyBlock.decompress(body, length, MAX_REQUEST_BYTES);
    } catch (SnappyBlock.CorruptException e) {
      throw new BadRequest(e.getMessage());
    }
    try {
      return request(new ProtoReader(raw, 0, raw.length));
    } catch (ProtoException e) {
      throw new BadRequest("decoding the prometheus.ReadRequest: " + e.getMessage());
    }
  }

  // ReadRequest { repeated Query queries = 1; repeated ResponseType accepted_response_types = 2; }
  // Query { int64 start_timestamp_ms = 1; int64 end_timestamp_ms = 2; repeated LabelMatcher
  // matchers = 3; ReadHints hints = 4; } LabelMatcher { Type type = 1; string name = 2; string
  // value = 3; }
  private static Request request(ProtoReader r) throws ProtoException, BadRequest {
    List<Query> queries = new ArrayList<>();
    List<ResponseType> accepted = new ArrayList<>();
    while (r.hasMore()) {
      int tag = r.tag();
      int f = ProtoReader.field(tag);
      int wire = ProtoReader.wireType(tag);
      if (f == 1 && wire == ProtoReader.LEN) {
        int end = r.lengthEnd();
        int outer = r.sub(end);
        queries.add(query(r));
        r.pop(outer);
        r.skipTo(end);
      } else if (f == 2 && wire == ProtoReader.LEN) { // packed
        int end = r.lengthEnd();
        while (r.position() < end) {
          responseType(r.varint(), accepted);
        }
      } else if (f == 2 && wire == ProtoReader.VARINT) {
        responseType(r.varint(), accepted);
      } else {
        r.skip(wire);
      }
    }
    return new Request(List.copyOf(queries), List.copyOf(accepted));
  }

  private static void responseType(long v, List<ResponseType> accepted) {
    // Unknown types are skipped: the client lists them in preference order.
    if (v == 0) {
      accepted.add(ResponseType.SAMPLES);
    } else if (v == 1) {
      accepted.add(ResponseType.STREAMED_XOR_CHUNKS);
    }
  }

  private static Query query(ProtoReader r) throws ProtoException, BadRequest {
    long start = 0;
    long end = 0;
    List<Matcher> matchers = new ArrayList<>();
    while (r.hasMore()) {
      int tag = r.tag();
      int f = ProtoReader.field(tag);
      int wire = ProtoReader.wireType(tag);
      if (f == 1 && wire == ProtoReader.VARINT) {
        start = r.varint();
      } else if (f == 2 && wire == ProtoReader.VARINT) {
        end = r.varint();
      } else if (f == 3 && wire == ProtoReader.LEN) {
        int e = r.lengthEnd();
        int outer = r.sub(e);
        matchers.add(matcher(r));
        r.pop(outer);
        r.skipTo(e);
      } else {
        r.skip(wire);
      }
    }
    return new Query(start, end, List.copyOf(matchers));
  }

  private static Matcher matcher(ProtoReader r) throws ProtoException, BadRequest {
    long type = 0;
    String name = "";
    String value = "";
    while (r.hasMore()) {
      int tag = r.tag();
      int f = ProtoReader.field(tag);
      int wire = ProtoReader.wireType(tag);
      if (f == 1 && wire == ProtoReader.VARINT) {
        type = r.varint();
      } else if ((f == 2 || f == 3) && wire == ProtoReader.LEN) {
        int e = r.lengthEnd();
        ProtoReader.checkUtf8(r.bytes(), r.position(), e);
        String s = new String(r.bytes(), r.position(), e - r.position(), StandardCharsets.UTF_8);
        if (f == 2) {
          name = s;
        } else {
          value = s;
        }
        r.skipTo(e);
      } else {
        r.skip(wire);
      }
    }
    MatchType t =
        switch ((int) type) {
          case 0 -> MatchType.EQUAL;
          case 1 -> MatchType.NOT_EQUAL;
          case 2 -> MatchType.REGEX;
          case 3 -> MatchType.NOT_REGEX;
          default -> throw new BadRequest("unknown label matcher type " + type);
        };
    try {
      return Matcher.of(t, name, value);
    } catch (IllegalArgumentException e) {
      throw new BadRequest("invalid matcher: " + e.getMessage());
    }
  }

  /**
   * The matchers to give the store: those on external labels are answered here. Null when one of
   * them does not match its external label's value (the query selects nothing).
   */
  static List<Matcher> storeMatchers(List<Matcher> matchers, Labels external) {
    List<Matcher> out = new ArrayList<>(matchers.size());
    for (Matcher m : matchers) {
      String ext = external.get(m.name());
      if (ext == null) {
        out.add(m);
      } else if (!m.matches(ext)) {
        return null;
      }
    }
    return out;
  }

  /**
   * The {@code SAMPLES} answer: a snappy {@code ReadResponse}.
   *
   * @throws BadRequest when the answer would hold more than {@code sampleLimit} samples
   */
  public static byte[] samples(Request req, Queryable store, Labels external, long sampleLimit)
      throws BadRequest, IOException {
    ProtoWriter w = new ProtoWriter(1 << 16);
    long total = 0;
    for (Query q : req.queries()) {
      int result = w.begin(1);
      List<Matcher> ms = storeMatchers(q.matchers(), external);
      if (ms != null) {
        try (Querier querier = store.querier(q.start(), q.end())) {
          SeriesSet set = querier.select(true, SelectHints.range(q.start(), q.end()), ms);
          SampleIterator it = null;
          while (set.next()) {
            int ts = w.begin(1);
            writeLabels(w, set.at().labels(), external);
            it = set.at().iterator(it);
            while (it.next()) {
              long t = it.t();
              if (t < q.start()) {
                continue;
              }
              if (t > q.end()) {
                break;
              }
              if (++total > sampleLimit) {
                throw new BadRequest("exceeded sample limit (" + sampleLimit + ")");
              }
              int s = w.begin(2);
              w.doubleField(1, it.v()).varintField(2, t);
              w.end(s);
            }
            w.end(ts);
          }
        }
      }
      w.end(result);
    }
    return SnappyBlock.compress(w.array(), w.length());
  }

  /**
   * The {@code STREAMED_XOR_CHUNKS} answer, written to {@code out} as frames: the message's length
   * as a varint, its CRC-32C (big-endian), then a {@code ChunkedReadResponse} of whole series up to
   * {@code maxFrameBytes} for one query.
   */
  public static void streamChunks(
      Request req, ChunkQueryable store, Labels external, OutputStream out, int maxFrameBytes)
      throws IOException {
    ProtoWriter w = new ProtoWriter(1 << 16);
    for (int qi = 0; qi < req.queries().size(); qi++) {
      Query q = req.queries().get(qi);
      List<Matcher> ms = storeMatchers(q.matchers(), external);
      if (ms == null) {
        continue;
      }
      try (ChunkQuerier querier = store.chunkQuerier(q.start(), q.end())) {
        ChunkSeriesSet set = querier.select(true, SelectHints.range(q.start(), q.end()), ms);
        w.reset();
        while (set.next()) {
          int series = w.begin(1);
          writeLabels(w, set.at().labels(), external);
          ChunkIterator it = set.at().chunks(null);
          while (it.next()) {
            Chunk c = it.chunk();
            if (c.encoding() != ChunkEncoding.XOR) {
              continue;
            }
            int ch = w.begin(2);
            w.varintField(1, it.minTime()).varintField(2, it.maxTime()).varintField(3, 1);
            w.bytesField(4, c.bytes());
            w.end(ch);
          }
          w.end(series);
          if (w.length() >= maxFrameBytes) {
            frame(w, qi, out);
            w.reset();
          }
        }
        if (w.length() > 0) {
          frame(w, qi, out);
        }
      }
    }
  }

  private static void frame(ProtoWriter w, int queryIndex, OutputStream out) throws IOException {
    if (queryIndex != 0) {
      w.varintField(2, queryIndex);
    }
    CRC32C crc = new CRC32C();
    crc.update(w.array(), 0, w.length());
    ProtoWriter head = new ProtoWriter(16);
    head.varint(w.length());
    long c = crc.getValue();
    out.write(head.array(), 0, head.length());
    out.write(new byte[] {(byte) (c >>> 24), (byte) (c >>> 16), (byte) (c >>> 8), (byte) c});
    out.write(w.array(), 0, w.length());
    out.flush();
  }

  /** A series' labels with the external labels it lacks, in label order. */
  private static void writeLabels(ProtoWriter w, Labels stored, Labels external) {
    Labels all = stored;
    if (!external.isEmpty()) {
      Labels.Builder b = stored.toBuilder();
      for (int i = 0; i < external.size(); i++) {
        if (!stored.has(external.name(i))) {
          b.set(external.name(i), external.value(i));
        }
      }
      all = b.build();
    }
    for (int i = 0; i < all.size(); i++) {
      int l = w.begin(1);
      w.stringField(1, all.name(i)).stringField(2, all.value(i));
      w.end(l);
    }
  }
}
