package io.meridian.tsdb.wal;

import io.meridian.model.Labels;
import io.meridian.storage.CorruptDataException;
import io.meridian.util.Decbuf;
import io.meridian.util.Encbuf;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;

/**
 * The WAL record payloads of Prometheus's {@code tsdb/record} package. Every record starts with its
 * {@link Type} byte; integers are big-endian or Go varints (see {@link Encbuf}).
 *
 * <pre>
 * series     : 1 │ { ref(8) │ uvarint #labels │ {uvarint-str name │ uvarint-str value}* }*
 * samples    : 2 │ [ ref₀(8) │ t₀(8) │ { varint ref-ref₀ │ varint t-t₀ │ value bits(8) }* ]
 *              (every sample, the first too, is stored as deltas from the first)
 * tombstones : 3 │ { ref(8) │ varint mint │ varint maxt }*
 * exemplars  : 4 │ [ ref₀(8) │ t₀(8) │ { varint ref-ref₀ │ varint t-t₀ │ value bits(8) │ labels }* ]
 * metadata   : 6 │ { uvarint ref │ type(1) │ uvarint #fields │ {uvarint-str name │ value}* }*
 *              (written with the two fields "unit" and "help"; unknown fields are skipped)
 * </pre>
 *
 * Types 5, 7 and 8 (mmap markers, native histogram samples) are recognised by {@link #type} but not
 * decoded here; callers skip them. Decoders read from the buffer's position to its limit without
 * moving either, clear the collection passed in, and throw {@link CorruptDataException} when the
 * bytes do not decode. Stateless and thread-safe.
 */
public final class Records {
  private Records() {}

  /** The first byte of a record. */
  public enum Type {
    SERIES(1),
    SAMPLES(2),
    TOMBSTONES(3),
    EXEMPLARS(4),
    MMAP_MARKERS(5),
    METADATA(6),
    HISTOGRAM_SAMPLES(7),
    FLOAT_HISTOGRAM_SAMPLES(8),
    /** Empty records and types this version does not know, from a newer Prometheus, say. */
    UNKNOWN(255);

    private static final Type[] BY_CODE = new Type[9];

    static {
      for (Type t : values()) {
        if (t != UNKNOWN) {
          BY_CODE[t.code] = t;
        }
      }
    }

    private final int code;

    Type(int code) {
      this.code = code;
    }

    public int code() {
      return code;
    }

    /** The type with this code, or {@link #UNKNOWN}. */
    public static Type of(int code) {
      return code > 0 && code < BY_CODE.length ? BY_CODE[code] : UNKNOWN;
    }
  }

  /** The type of {@code rec}, from its first byte; {@link Type#UNKNOWN} if empty or unknown. */
  public static Type type(ByteBuffer rec) {
    return rec.hasRemaining() ? Type.of(rec.get(rec.position()) & 0xff) : Type.UNKNOWN;
  }

  /** A series and the reference the samples of this WAL use for it. */
  public record RefSeries(long ref, Labels labels) {}

  /** Samples of {@code ref} in {@code [mint, maxt]} are deleted. */
  public record Tombstone(long ref, long mint, long maxt) {}

  /** An exemplar of series {@code ref}. */
  public record RefExemplar(long ref, long t, double v, Labels labels) {}

  /**
   * Metadata of series {@code ref}; {@code type} is Prometheus's {@code record.MetricType} byte (0
   * unknown, 1 counter, 2 gauge, 3 histogram, 4 gauge histogram, 5 summary, 6 info, 7 stateset).
   */
  public record RefMetadata(long ref, int type, String unit, String help) {}

  /**
   * Samples as parallel primitive arrays, so the hot path boxes nothing. Arrays grow as needed and
   * are reused after {@link #clear()}; entries from {@link #size} on are garbage. Not thread-safe.
   */
  public static final class SampleBatch {
    public long[] refs;
    public long[] ts;
    public double[] vs;
    public int size;

    public SampleBatch() {
      this(64);
    }

    public SampleBatch(int capacity) {
      int c = Math.max(1, capacity);
      refs = new long[c];
      ts = new long[c];
      vs = new double[c];
    }

    public void clear() {
      size = 0;
    }

    public void add(long ref, long t, double v) {
      if (size == refs.length) {
        grow(size + 1);
      }
      refs[size] = ref;
      ts[size] = t;
      vs[size] = v;
      size++;
    }

    /** Makes room for {@code n} samples in all. */
    public void ensureCapacity(int n) {
      if (n > refs.length) {
        grow(n);
      }
    }

    private void grow(int min) {
      int c = Math.max(min, refs.length * 2);
      refs = Arrays.copyOf(refs, c);
      ts = Arrays.copyOf(ts, c);
      vs = Arrays.copyOf(vs, c);
    }
  }

  // ---- series

  public static byte[] encodeSeries(List<RefSeries> series) {
    Encbuf b = new Encbuf(1 + series.size() * 64).putByte(Type.SERIES.code);
    for (RefSeries s : series) {
      b.putBE64(s.ref());
      putLabels(b, s.labels());
    }
    return b.toByteArray();
  }

  public static void decodeSeries(ByteBuffer rec, List<RefSeries> into)
      throws CorruptDataException {
    into.clear();
    Decbuf d = open(rec, Type.SERIES);
    try {
      while (d.remaining() > 0) {
        long ref = d.readBE64();
        into.add(new RefSeries(ref, readLabels(d)));
      }
    } catch (Decbuf.DecodeException | IllegalArgumentException e) {
      throw corrupt(Type.SERIES, e);
    }
  }

  // ---- samples

  public static byte[] encodeSamples(SampleBatch s) {
    return encodeSamples(s, new Encbuf(1 + 16 + s.size * 12)).toByteArray();
  }

  /** Encodes into {@code b} after resetting it, for callers that reuse a buffer. */
  public static Encbuf encodeSamples(SampleBatch s, Encbuf b) {
    b.reset().putByte(Type.SAMPLES.code);
    if (s.size == 0) {
      return b;
    }
    long ref0 = s.refs[0];
    long t0 = s.ts[0];
    b.putBE64(ref0).putBE64(t0);
    for (int i = 0; i < s.size; i++) {
      b.putVarint(s.refs[i] - ref0)
          .putVarint(s.ts[i] - t0)
          .putBE64(Double.doubleToRawLongBits(s.vs[i]));
    }
    return b;
  }

  public static void decodeSamples(ByteBuffer rec, SampleBatch into) throws CorruptDataException {
    into.clear();
    Decbuf d = open(rec, Type.SAMPLES);
    try {
      if (d.remaining() == 0) {
        return;
      }
      long ref0 = d.readBE64();
      long t0 = d.readBE64();
      // At least 10 bytes a sample: two one-byte varints and the value.
      into.ensureCapacity((int) Math.min(Integer.MAX_VALUE - 8, d.remaining() / 10));
      while (d.remaining() > 0) {
        long ref = ref0 + d.readVarint();
        long t = t0 + d.readVarint();
        into.add(ref, t, Double.longBitsToDouble(d.readBE64()));
      }
    } catch (Decbuf.DecodeException e) {
      throw corrupt(Type.SAMPLES, e);
    }
  }

  // ---- tombstones

  public static byte[] encodeTombstones(List<Tombstone> tombstones) {
    Encbuf b = new Encbuf(1 + tombstones.size() * 20).putByte(Type.TOMBSTONES.code);
    for (Tombstone t : tombstones) {
      b.putBE64(t.ref()).putVarint(t.mint()).putVarint(t.maxt());
    }
    return b.toByteArray();
  }

  public static void decodeTombstones(ByteBuffer rec, List<Tombstone> into)
      throws CorruptDataException {
    into.clear();
    Decbuf d = open(rec, Type.TOMBSTONES);
    try {
      while (d.remaining() > 0) {
        into.add(new Tombstone(d.readBE64(), d.readVarint(), d.readVarint()));
      }
    } catch (Decbuf.DecodeException e) {
      throw corrupt(Type.TOMBSTONES, e);
    }
  }

  // ---- exemplars

  public static byte[] encodeExemplars(List<RefExemplar> exemplars) {
    Encbuf b = new Encbuf(1 + exemplars.size() * 48).putByte(Type.EXEMPLARS.code);
    if (exemplars.isEmpty()) {
      return b.toByteArray();
    }
    long ref0 = exemplars.getFirst().ref();
    long t0 = exemplars.getFirst().t();
    b.putBE64(ref0).putBE64(t0);
    for (RefExemplar e : exemplars) {
      b.putVarint(e.ref() - ref0).putVarint(e.t() - t0).putBE64(Double.doubleToRawLongBits(e.v()));
      putLabels(b, e.labels());
    }
    return b.toByteArray();
  }

  public static void decodeExemplars(ByteBuffer rec, List<RefExemplar> into)
      throws CorruptDataException {
    into.clear();
    Decbuf d = open(rec, Type.EXEMPLARS);
    try {
      if (d.remaining() == 0) {
        return;
      }
      long ref0 = d.readBE64();
      long t0 = d.readBE64();
      while (d.remaining() > 0) {
        long ref = ref0 + d.readVarint();
        long t = t0 + d.readVarint();
        double v = Double.longBitsToDouble(d.readBE64());
        into.add(new RefExemplar(ref, t, v, readLabels(d)));
      }
    } catch (Decbuf.DecodeException | IllegalArgumentException e) {
      throw corrupt(Type.EXEMPLARS, e);
    }
  }

  // ---- metadata

  static final String UNIT_FIELD = "unit";
  static final String HELP_FIELD = "help";

  public static byte[] encodeMetadata(List<RefMetadata> metadata) {
    Encbuf b = new Encbuf(1 + metadata.size() * 64).putByte(Type.METADATA.code);
    for (RefMetadata m : metadata) {
      b.putUvarint(m.ref()).putByte(m.type()).putUvarint(2);
      b.putUvarintStr(UNIT_FIELD).putUvarintStr(m.unit());
      b.putUvarintStr(HELP_FIELD).putUvarintStr(m.help());
    }
    return b.toByteArray();
  }

  public static void decodeMetadata(ByteBuffer rec, List<RefMetadata> into)
      throws CorruptDataException {
    into.clear();
    Decbuf d = open(rec, Type.METADATA);
    try {
      while (d.remaining() > 0) {
        long ref = d.readUvarint();
        int type = d.readByte();
        long fields = d.readUvarint();
        String unit = "";
        String help = "";
        for (long i = 0; i < fields; i++) {
          String name = d.readUvarintStr();
          String value = d.readUvarintStr();
          switch (name) {
            case UNIT_FIELD -> unit = value;
            case HELP_FIELD -> help = value;
            default -> {} // a field from a newer version
          }
        }
        into.add(new RefMetadata(ref, type, unit, help));
      }
    } catch (Decbuf.DecodeException e) {
      throw corrupt(Type.METADATA, e);
    }
  }

  // ---- shared

  static void putLabels(Encbuf b, Labels labels) {
    b.putUvarint(labels.size());
    for (int i = 0; i < labels.size(); i++) {
      b.putUvarintStr(labels.name(i)).putUvarintStr(labels.value(i));
    }
  }

  /**
   * Prometheus writes labels sorted; empty values (which our {@link Labels} cannot hold) are
   * dropped, and unsorted input is sorted rather than refused.
   */
  static Labels readLabels(Decbuf d) {
    int n = d.readUvarint32();
    if (n > d.remaining() / 2) {
      throw new Decbuf.DecodeException("label count " + n + " exceeds the record");
    }
    String[] pairs = new String[2 * n];
    int k = 0;
    for (int i = 0; i < n; i++) {
      String name = d.readUvarintStr();
      String value = d.readUvarintStr();
      if (!value.isEmpty()) {
        pairs[k++] = name;
        pairs[k++] = value;
      }
    }
    if (k < pairs.length) {
      pairs = Arrays.copyOf(pairs, k);
    }
    try {
      return Labels.ofSorted(pairs);
    } catch (IllegalArgumentException unsorted) {
      return Labels.of(pairs);
    }
  }

  /** A reader over {@code rec} positioned after its type byte, which must be {@code want}. */
  static Decbuf open(ByteBuffer rec, Type want) throws CorruptDataException {
    Type got = type(rec);
    if (got != want) {
      throw new CorruptDataException(
          "WAL record of type " + got + " (" + describeFirstByte(rec) + ") is not " + want);
    }
    Decbuf d = new Decbuf(MemorySegment.ofBuffer(rec), 0, rec.remaining());
    d.skip(1);
    return d;
  }

  private static String describeFirstByte(ByteBuffer rec) {
    return rec.hasRemaining() ? "byte " + (rec.get(rec.position()) & 0xff) : "empty";
  }

  private static CorruptDataException corrupt(Type t, RuntimeException e) {
    return new CorruptDataException("bad " + t + " WAL record: " + e.getMessage(), e);
  }
}
