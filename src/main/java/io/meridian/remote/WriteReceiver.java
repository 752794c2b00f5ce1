package io.meridian.remote;

import io.meridian.model.Labels;
import io.meridian.storage.AppendableStore;
import io.meridian.storage.Appender;
import io.meridian.storage.SampleRejectedException;
import io.meridian.util.Clock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The receiving end of remote write 1.0 ({@code prometheus.WriteRequest}) and 2.0 ({@code
 * io.prometheus.write.v2.Request}), chosen by {@code Content-Type} as Prometheus chooses: decodes a
 * snappy body and appends its samples, answering as Prometheus's receiver does (204; 400 with the
 * reason for what cannot be stored; 415 for an unknown message or encoding).
 *
 * <p>Unlike Prometheus 2.x with a 1.0 request, a request with some rejected samples (out of order,
 * duplicate, too far in the future, invalid labels) keeps its good samples and then answers 400:
 * the sender does not retry a 400, so dropping the good ones would lose them for good. The body is
 * decoded in place, without an object per sample; a series already received is found by its label
 * bytes ({@link ReceivedSeries}), and only a new one gets its labels built and checked.
 */
public final class WriteReceiver {
  /**
   * Remote write 1.0's {@code Content-Type}; 2.0 adds {@code proto=io.prometheus.write.v2.Request}.
   */
  public static final String CONTENT_TYPE = "application/x-protobuf";

  static final String V1_MESSAGE = "prometheus.WriteRequest";
  static final String V2_MESSAGE = "io.prometheus.write.v2.Request";

  /** Samples further ahead of the receiver's clock than this are refused (Prometheus: 10 min). */
  static final long MAX_AHEAD_MS = 10 * 60 * 1000;

  private final Clock clock;
  private final int maxDecompressedBytes;
  private final ReceiveMetrics metrics; // null: not counted

  /** Per store written into (a receiver's tenants each have one): its series by label bytes. */
  private final Map<AppendableStore, ReceivedSeries> known = new ConcurrentHashMap<>();

  /**
   * @param maxDecompressedBytes a body that claims to inflate to more is refused before inflating
   *     (a decompression bomb costs nothing)
   */
  public WriteReceiver(Clock clock, int maxDecompressedBytes) {
    this(clock, maxDecompressedBytes, null);
  }

  /** As {@link #WriteReceiver(Clock, int)}, counting requests and samples in {@code metrics}. */
  public WriteReceiver(Clock clock, int maxDecompressedBytes, ReceiveMetrics metrics) {
    this.clock = clock;
    this.maxDecompressedBytes = maxDecompressedBytes;
    this.metrics = metrics;
  }

  /** The protocol versions, by the message they carry. */
  public enum Protocol {
    V1,
    V2
  }

  /**
   * How a request was answered.
   *
   * @param status the HTTP status: 204, 400, 415, 429 (the store's series limit) or 500
   * @param error why, for any status but 204
   * @param samples float samples stored
   * @param rejected samples (and histograms) refused
   */
  public record Outcome(int status, String error, long samples, long rejected, Protocol protocol) {
    static Outcome unsupported(String error) {
      return new Outcome(415, error, 0, 0, null);
    }

    static Outcome bad(String error, Protocol p) {
      return new Outcome(400, error, 0, 0, p);
    }
  }

  /**
   * Decodes {@code body[0, length)} and appends it to {@code store}.
   *
   * @param contentType the request's {@code Content-Type}, or null (then 1.0, as Prometheus)
   * @param contentEncoding the request's {@code Content-Encoding}, or null (then snappy)
   */
  public Outcome receive(
      byte[] body, int length, String contentType, String contentEncoding, AppendableStore store) {
    return receive(body, length, contentType, contentEncoding, store, Admission.ALL);
  }

  /**
   * Decides whether a request's samples may be stored (a tenant's ingestion rate), once they are
   * decoded and before any is visible.
   */
  @FunctionalInterface
  public interface Admission {
    /** Admits everything; requests are then not counted first. */
    Admission ALL =
        new Admission() {
          @Override
          public String refusal(long samples) {
            return null;
          }

          @Override
          public boolean counts() {
            return false;
          }
        };

    /** Null to store the request's {@code samples}, else why not (answered with 429). */
    String refusal(long samples);

    /** Whether a request's samples must be counted (and so decoded twice) for this admission. */
    default boolean counts() {
      return true;
    }
  }

  /**
   * As {@link #receive(byte[], int, String, String, AppendableStore)}, within {@code admission}.
   */
  public Outcome receive(
      byte[] body,
      int length,
      String contentType,
      String contentEncoding,
      AppendableStore store,
      Admission admission) {
    Outcome o = decodeAndAppend(body, length, contentType, contentEncoding, store, admission);
    if (metrics != null) {
      metrics.record(o);
    }
    return o;
  }

  private Outcome decodeAndAppend(
      byte[] body,
      int length,
      String contentType,
      String contentEncoding,
      AppendableStore store,
      Admission admission) {
    Protocol p;
    try {
      p = protocol(contentType);
    } catch (IllegalArgumentException e) {
      return Outcome.unsupported(e.getMessage());
    }
    if (contentEncoding != null
        && !contentEncoding.isBlank()
        && !contentEncoding.trim().toLowerCase(Locale.ROOT).equals("snappy")) {
      return Outcome.unsupported(
          contentEncoding
              + " encoding (compression) is not accepted by this server; only snappy is"
              + " acceptable");
    }
    byte[] raw;
    try {
      raw = SnappyBlock.decompress(body, length, maxDecompressedBytes);
    } catch (SnappyBlock.CorruptException e) {
      return Outcome.bad(e.getMessage(), p);
    }
    int rawLength = raw.length;
    if (admission.counts()) {
      // Counted before anything is appended: a refused request leaves no trace, not even series.
      long n;
      try {
        n = countSamples(new ProtoReader(raw, 0, rawLength), p == Protocol.V1 ? 1 : 5);
      } catch (ProtoException e) {
        return Outcome.bad("decoding the " + messageName(p) + ": " + e.getMessage(), p);
      }
      String refusal = admission.refusal(n);
      if (refusal != null) {
        return new Outcome(429, refusal, 0, n, p);
      }
    }
    Appender app = store.appender();
    long now = clock.millis();
    int minute = (int) (now / 60_000);
    ReceivedSeries known = this.known.computeIfAbsent(store, s -> new ReceivedSeries());
    known.maybeSweep(minute);
    Batch batch = new Batch(app, now + MAX_AHEAD_MS, known, minute);
    try {
      if (p == Protocol.V1) {
        batch.decodeV1(new ProtoReader(raw, 0, rawLength));
      } else {
        batch.decodeV2(new ProtoReader(raw, 0, rawLength));
      }
    } catch (ProtoException e) {
      // A body that does not decode is refused whole: nothing of it is stored.
      app.rollback();
      return Outcome.bad("decoding the " + messageName(p) + ": " + e.getMessage(), p);
    } catch (RuntimeException e) {
      app.rollback();
      throw e;
    }
    try {
      app.commit();
    } catch (IOException e) {
      return new Outcome(500, "storing the samples: " + e.getMessage(), 0, 0, p);
    }
    if (batch.limited > 0) {
      // A tenant's series limit: 429, which senders retry later (by then series may have gone).
      return new Outcome(429, batch.limitError, batch.samples, batch.rejected, p);
    }
    if (batch.rejected > 0) {
      String more =
          batch.rejected > 1 ? " (and " + (batch.rejected - 1) + " more samples refused)" : "";
      return new Outcome(400, batch.firstError + more, batch.samples, batch.rejected, p);
    }
    return new Outcome(204, "", batch.samples, 0, p);
  }

  /**
   * The protocol a {@code Content-Type} asks for: {@code application/x-protobuf}, with an optional
   * {@code proto=} parameter naming the message.
   *
   * @throws IllegalArgumentException for any other media type or message
   */
  public static Protocol protocol(String contentType) {
    if (contentType == null || contentType.isBlank()) {
      return Protocol.V1;
    }
    String[] parts = contentType.trim().split(";", -1);
    if (!parts[0].trim().equals(CONTENT_TYPE)) {
      throw new IllegalArgumentException(
          "expected "
              + CONTENT_TYPE
              + " as the first (media) part, got "
              + contentType
              + " content-type");
    }
    for (int i = 1; i < parts.length; i++) {
      String[] kv = parts[i].trim().split("=", -1);
      if (kv.length != 2) {
        throw new IllegalArgumentException(
            "expected parameters to be key-values, got " + parts[i] + " in " + contentType);
      }
      if (kv[0].trim().equals("proto")) {
        String msg = kv[1].trim();
        if (msg.equals(V1_MESSAGE)) {
          return Protocol.V1;
        }
        if (msg.equals(V2_MESSAGE)) {
          return Protocol.V2;
        }
        throw new IllegalArgumentException(
            "got "
                + contentType
                + " content type; unknown remote write protobuf message "
                + msg
                + ", supported: "
                + V1_MESSAGE
                + ", "
                + V2_MESSAGE);
      }
    }
    return Protocol.V1;
  }

  /** The samples of a request: sample fields (2 in both versions) of its series fields. */
  private static long countSamples(ProtoReader r, int seriesField) throws ProtoException {
    long[] n = {0};
    eachSeries(
        r,
        seriesField,
        (reader, start) -> {
          while (reader.hasMore()) {
            int t = reader.tag();
            if (ProtoReader.field(t) == 2 && ProtoReader.wireType(t) == ProtoReader.LEN) {
              n[0]++;
            }
            reader.skip(ProtoReader.wireType(t));
          }
        });
    return n[0];
  }

  /** Reads one time series, the reader narrowed to it and positioned at {@code start}. */
  @FunctionalInterface
  private interface SeriesReader {
    void read(ProtoReader r, int start) throws ProtoException;
  }

  /** Calls {@code each} for every {@code seriesField} of a request; skips its other fields. */
  private static void eachSeries(ProtoReader r, int seriesField, SeriesReader each)
      throws ProtoException {
    while (r.hasMore()) {
      int tag = r.tag();
      if (ProtoReader.field(tag) == seriesField && ProtoReader.wireType(tag) == ProtoReader.LEN) {
        int end = r.lengthEnd();
        int outer = r.sub(end);
        each.read(r, r.position());
        r.pop(outer);
        r.skipTo(end);
      } else {
        r.skip(ProtoReader.wireType(tag)); // metadata, symbols, unknown fields
      }
    }
  }

  private static String messageName(Protocol p) {
    return p == Protocol.V1 ? V1_MESSAGE : V2_MESSAGE;
  }

  /** One request's decoding state: label ranges of the series at hand, counts, first error. */
  private static final class Batch {
    private final Appender app;
    private final long maxT;
    private final ReceivedSeries known;
    private final int minute;
    private final ReceivedSeries.Key probe = new ReceivedSeries.Key(256);
    private final SymbolStrings strings = new SymbolStrings();
    // The series at hand's labels as byte ranges of the body: name start, end, value start, end.
    private int[] ranges = new int[64];
    private int rangeCount;
    private String[] pairs = new String[32];
    // 2.0: where each symbol's bytes are, and its String once made.
    private int[] symbolRanges = new int[0];
    private int symbolCount;
    long samples;
    long rejected;
    String firstError;
    long limited;
    String limitError;

    Batch(Appender app, long maxT, ReceivedSeries known, int minute) {
      this.app = app;
      this.maxT = maxT;
      this.known = known;
      this.minute = minute;
    }

    // ---- 1.0: WriteRequest { repeated TimeSeries timeseries = 1; repeated MetricMetadata
    // metadata = 3; } TimeSeries { repeated Label labels = 1; repeated Sample samples = 2;
    // repeated Exemplar exemplars = 3; repeated Histogram histograms = 4; }

    void decodeV1(ProtoReader r) throws ProtoException {
      eachSeries(r, 1, (reader, start) -> series(reader, start, false));
    }

    private void labelV1(ProtoReader r) throws ProtoException {
      int nameOff = 0;
      int nameEnd = 0;
      int valueOff = 0;
      int valueEnd = 0;
      while (r.hasMore()) {
        int tag = r.tag();
        int f = ProtoReader.field(tag);
        if ((f == 1 || f == 2) && ProtoReader.wireType(tag) == ProtoReader.LEN) {
          int e = r.lengthEnd();
          if (f == 1) {
            nameOff = r.position();
            nameEnd = e;
          } else {
            valueOff = r.position();
            valueEnd = e;
          }
          r.skipTo(e);
        } else {
          r.skip(ProtoReader.wireType(tag));
        }
      }
      addRange(nameOff, nameEnd);
      addRange(valueOff, valueEnd);
    }

    // ---- 2.0: Request { repeated string symbols = 4; repeated TimeSeries timeseries = 5; }
    // TimeSeries { repeated uint32 labels_refs = 1; repeated Sample samples = 2; repeated
    // Histogram histograms = 3; repeated Exemplar exemplars = 4; Metadata metadata = 5; }
    // Symbols may follow the series on the wire, so they are gathered first.

    void decodeV2(ProtoReader r) throws ProtoException {
      int start = r.position();
      int symbolCount = 0;
      while (r.hasMore()) {
        int tag = r.tag();
        if (ProtoReader.field(tag) == 4 && ProtoReader.wireType(tag) == ProtoReader.LEN) {
          int e = r.lengthEnd();
          if (2 * symbolCount + 2 > symbolRanges.length) {
            symbolRanges = Arrays.copyOf(symbolRanges, Math.max(64, symbolRanges.length * 2));
          }
          symbolRanges[2 * symbolCount] = r.position();
          symbolRanges[2 * symbolCount + 1] = e;
          symbolCount++;
          r.skipTo(e);
        } else {
          r.skip(ProtoReader.wireType(tag));
        }
      }
      this.symbolCount = symbolCount;
      if (symbolCount > 0 && symbolRanges[1] != symbolRanges[0]) {
        throw new ProtoException("the first symbol must be the empty string");
      }
      r.skipTo(start);
      eachSeries(r, 5, (reader, at) -> series(reader, at, true));
    }

    private void symbolRef(long ref) throws ProtoException {
      if (ref < 0 || ref >= symbolCount) {
        throw new ProtoException(
            "label reference " + ref + " out of range: " + symbolCount + " symbols");
      }
      int i = (int) ref;
      addRange(symbolRanges[2 * i], symbolRanges[2 * i + 1]);
    }

    // ---- shared

    /**
     * One time series, 1.0 or 2.0 (their samples are alike): first its labels, wherever they are
     * among its fields, then its samples.
     */
    private void series(ProtoReader r, int start, boolean v2) throws ProtoException {
      rangeCount = 0;
      int histograms = 0;
      int labelField = 1;
      int sampleField = 2;
      int histogramField = v2 ? 3 : 4;
      while (r.hasMore()) {
        int tag = r.tag();
        int field = ProtoReader.field(tag);
        int wire = ProtoReader.wireType(tag);
        if (field == labelField && wire == ProtoReader.LEN) {
          int e = r.lengthEnd();
          if (v2) { // packed references
            while (r.position() < e) {
              symbolRef(r.varint());
            }
            if (r.position() != e) {
              throw new ProtoException("packed label references overrun their length");
            }
          } else {
            int outer = r.sub(e);
            labelV1(r);
            r.pop(outer);
          }
          r.skipTo(e);
        } else if (v2 && field == labelField && wire == ProtoReader.VARINT) {
          symbolRef(r.varint());
        } else {
          if (field == histogramField && wire == ProtoReader.LEN) {
            histograms++;
          }
          r.skip(wire);
        }
      }
      if (v2 && rangeCount % 4 != 0) {
        throw new ProtoException("odd number of label references: " + rangeCount / 2);
      }
      probe.clear();
      for (int i = 0; i < rangeCount; i += 2) {
        probe.add(r.bytes(), ranges[i], ranges[i + 1]);
      }
      ReceivedSeries.Entry known = this.known.get(probe, minute);
      Labels labels = known != null ? known.labels : labels(r.bytes());
      long ref = known != null ? known.ref : 0;
      r.skipTo(start);
      int sampleCount = 0;
      while (r.hasMore()) {
        int tag = r.tag();
        if (ProtoReader.field(tag) == sampleField && ProtoReader.wireType(tag) == ProtoReader.LEN) {
          int sampleEnd = r.lengthEnd();
          int outer = r.sub(sampleEnd);
          double v = 0;
          long t = 0;
          while (r.hasMore()) {
            int st = r.tag();
            int f = ProtoReader.field(st);
            if (f == 1 && ProtoReader.wireType(st) == ProtoReader.FIXED64) {
              v = r.double64();
            } else if (f == 2 && ProtoReader.wireType(st) == ProtoReader.VARINT) {
              t = r.varint();
            } else {
              r.skip(ProtoReader.wireType(st));
            }
          }
          r.pop(outer);
          r.skipTo(sampleEnd);
          sampleCount++;
          if (labels != null) {
            long newRef = append(ref, labels, t, v);
            if (known == null && newRef != 0 && ref == 0) {
              Labels shared = app.sharedLabels(newRef);
              this.known.put(
                  probe,
                  new ReceivedSeries.Entry(newRef, shared != null ? shared : labels, minute));
            }
            ref = newRef;
          }
        } else {
          r.skip(ProtoReader.wireType(tag));
        }
      }
      if (histograms > 0) {
        refuse(histograms, "native histograms are not stored by this server", labels);
      }
      if (labels == null) {
        rejected += sampleCount;
      }
    }

    private void addRange(int off, int end) {
      if (rangeCount + 2 > ranges.length) {
        ranges = Arrays.copyOf(ranges, ranges.length * 2);
      }
      ranges[rangeCount++] = off;
      ranges[rangeCount++] = end;
    }

    /** The series' labels from their byte ranges, or null (counted and reported) if invalid. */
    private Labels labels(byte[] b) throws ProtoException {
      int n = rangeCount / 2;
      if (pairs.length < n) {
        pairs = new String[Math.max(n, pairs.length * 2)];
      }
      for (int i = 0; i < n; i++) {
        pairs[i] = strings.get(b, ranges[2 * i], ranges[2 * i + 1]);
      }
      Labels labels;
      try {
        labels = Labels.of(Arrays.copyOf(pairs, n));
      } catch (IllegalArgumentException e) {
        error("invalid labels for series: " + e.getMessage());
        return null;
      }
      if (labels.metricName() == null || labels.metricName().isEmpty()) {
        error("invalid metric name or labels, got " + labels);
        return null;
      }
      return labels;
    }

    private long append(long ref, Labels labels, long t, double v) {
      if (t > maxT) {
        refuse(1, "out of bounds: sample timestamp is too far in the future", labels);
        return ref;
      }
      try {
        long r = app.append(ref, labels, t, v);
        samples++;
        return r;
      } catch (SampleRejectedException e) {
        if (e.reason() == SampleRejectedException.Reason.SERIES_LIMIT) {
          limited++;
          if (limitError == null) {
            limitError = "too many series: " + e.getMessage() + " for series " + labels;
          }
        }
        refuse(1, e.getMessage(), labels);
        return ref;
      }
    }

    private void refuse(int n, String why, Labels labels) {
      rejected += n;
      error(why + " for series " + labels);
    }

    private void error(String e) {
      if (firstError == null) {
        firstError = e;
      }
    }
  }

  /**
   * Strings of a request's label names and values, by their bytes: a request repeats the same few
   * names (and many values) across its series, so each distinct one becomes a {@code String} once.
   */
  private static final class SymbolStrings {
    private String[] table = new String[256];
    private int[] hashes = new int[256];
    private int size;

    String get(byte[] b, int off, int end) throws ProtoException {
      int h = 1;
      for (int i = off; i < end; i++) {
        h = 31 * h + b[i];
      }
      int mask = table.length - 1;
      for (int i = h & mask; ; i = (i + 1) & mask) {
        String s = table[i];
        if (s == null) {
          ProtoReader.checkUtf8(b, off, end);
          s = new String(b, off, end - off, StandardCharsets.UTF_8);
          if (2 * (size + 1) > table.length) {
            grow();
          }
          put(s, h);
          return s;
        }
        if (hashes[i] == h && sameBytes(s, b, off, end)) {
          return s;
        }
      }
    }

    private static boolean sameBytes(String s, byte[] b, int off, int end) {
      // Only ASCII strings are compared in place; others are compared by their encoding.
      int n = end - off;
      if (s.length() == n) {
        for (int i = 0; i < n; i++) {
          if (s.charAt(i) != b[off + i]) {
            return false;
          }
        }
        return true;
      }
      byte[] enc = s.getBytes(StandardCharsets.UTF_8);
      return Arrays.equals(enc, 0, enc.length, b, off, end);
    }

    private void grow() {
      String[] oldTable = table;
      int[] oldHashes = hashes;
      table = new String[oldTable.length * 2];
      hashes = new int[oldTable.length * 2];
      size = 0;
      for (int i = 0; i < oldTable.length; i++) {
        if (oldTable[i] != null) {
          put(oldTable[i], oldHashes[i]);
        }
      }
    }

    private void put(String s, int h) {
      int mask = table.length - 1;
      int i = h & mask;
      while (table[i] != null) {
        i = (i + 1) & mask;
      }
      table[i] = s;
      hashes[i] = h;
      size++;
    }
  }
}
