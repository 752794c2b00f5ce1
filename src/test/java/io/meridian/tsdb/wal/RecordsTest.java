package io.meridian.tsdb.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meridian.model.Labels;
import io.meridian.model.StaleNaN;
import io.meridian.storage.CorruptDataException;
import io.meridian.testing.SeededRandom;
import io.meridian.testing.SeededRandomExtension;
import io.meridian.tsdb.wal.Records.RefExemplar;
import io.meridian.tsdb.wal.Records.RefMetadata;
import io.meridian.tsdb.wal.Records.RefSeries;
import io.meridian.tsdb.wal.Records.SampleBatch;
import io.meridian.tsdb.wal.Records.Tombstone;
import io.meridian.util.Encbuf;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(SeededRandomExtension.class)
class RecordsTest {
  private static final HexFormat HEX = HexFormat.of();

  /**
   * type 01 │ ref 0000000000000007 │ 2 labels: 02 │ 08 "__name__" = 5f5f6e616d655f5f │ 02 "up" =
   * 7570 │ 03 "job" = 6a6f62 │ 01 "a" = 61.
   */
  @Test
  void encodesSeriesByTheLayout() throws CorruptDataException {
    Labels labels = Labels.of("job", "a", "__name__", "up");
    byte[] rec = Records.encodeSeries(List.of(new RefSeries(7, labels)));
    assertThat(HEX.formatHex(rec))
        .isEqualTo(
            "01"
                + "0000000000000007"
                + "02"
                + "085f5f6e616d655f5f"
                + "027570"
                + "036a6f62"
                + "0161");
    List<RefSeries> out = new ArrayList<>();
    Records.decodeSeries(ByteBuffer.wrap(rec), out);
    assertThat(out).containsExactly(new RefSeries(7, labels));
  }

  /**
   * type 02 │ ref₀ 000000000000000a │ t₀ 00000000000003e8 (1000) │ sample 1: varint 0 = 00, varint
   * 0 = 00, 1.0 = 3ff0000000000000 │ sample 2: varint +2 = zigzag 4 = 04, varint -100 = zigzag 199
   * = uvarint c7 01, 2.0 = 4000000000000000.
   */
  @Test
  void encodesSamplesByTheLayout() throws CorruptDataException {
    SampleBatch s = new SampleBatch();
    s.add(10, 1000, 1.0);
    s.add(12, 900, 2.0);
    byte[] rec = Records.encodeSamples(s);
    assertThat(HEX.formatHex(rec))
        .isEqualTo(
            "02"
                + "000000000000000a"
                + "00000000000003e8"
                + "0000"
                + "3ff0000000000000"
                + "04c701"
                + "4000000000000000");
    SampleBatch back = new SampleBatch(1);
    Records.decodeSamples(ByteBuffer.wrap(rec), back);
    assertThat(back.size).isEqualTo(2);
    assertThat(back.refs).startsWith(10, 12);
    assertThat(back.ts).startsWith(1000, 900);
    assertThat(back.vs).startsWith(1.0, 2.0);
  }

  /** type 03 │ ref 0000000000000005 │ varint -1 = 01 │ varint 300 = zigzag 600 = d8 04. */
  @Test
  void encodesTombstonesByTheLayout() throws CorruptDataException {
    byte[] rec = Records.encodeTombstones(List.of(new Tombstone(5, -1, 300)));
    assertThat(HEX.formatHex(rec)).isEqualTo("03" + "0000000000000005" + "01" + "d804");
    List<Tombstone> out = new ArrayList<>();
    Records.decodeTombstones(ByteBuffer.wrap(rec), out);
    assertThat(out).containsExactly(new Tombstone(5, -1, 300));
  }

  /**
   * type 06 │ uvarint ref 300 = ac 02 │ type 01 │ 2 fields: 02 │ 04 "unit" │ 01 "s" │ 04 "help" │
   * 00 "".
   */
  @Test
  void encodesMetadataByTheLayout() throws CorruptDataException {
    byte[] rec = Records.encodeMetadata(List.of(new RefMetadata(300, 1, "s", "")));
    assertThat(HEX.formatHex(rec))
        .isEqualTo("06" + "ac02" + "01" + "02" + "04756e6974" + "0173" + "0468656c70" + "00");
    List<RefMetadata> out = new ArrayList<>();
    Records.decodeMetadata(ByteBuffer.wrap(rec), out);
    assertThat(out).containsExactly(new RefMetadata(300, 1, "s", ""));
  }

  @Test
  void metadataSkipsFieldsItDoesNotKnow() throws CorruptDataException {
    Encbuf b = new Encbuf(64).putByte(6).putUvarint(9).putByte(2).putUvarint(3);
    b.putUvarintStr("help").putUvarintStr("H").putUvarintStr("future").putUvarintStr("x");
    b.putUvarintStr("unit").putUvarintStr("bytes");
    List<RefMetadata> out = new ArrayList<>();
    Records.decodeMetadata(ByteBuffer.wrap(b.toByteArray()), out);
    assertThat(out).containsExactly(new RefMetadata(9, 2, "bytes", "H"));
  }

  @Test
  void typesByFirstByte() {
    for (Records.Type t : Records.Type.values()) {
      if (t != Records.Type.UNKNOWN) {
        assertThat(Records.type(ByteBuffer.wrap(new byte[] {(byte) t.code()}))).isEqualTo(t);
        assertThat(Records.Type.of(t.code())).isEqualTo(t);
      }
    }
    assertThat(Records.type(ByteBuffer.allocate(0))).isEqualTo(Records.Type.UNKNOWN);
    for (int code : new int[] {0, 9, 10, 200, 255}) {
      assertThat(Records.type(ByteBuffer.wrap(new byte[] {(byte) code})))
          .isEqualTo(Records.Type.UNKNOWN);
    }
    assertThat(Records.Type.UNKNOWN.code()).isEqualTo(255);
  }

  @Test
  void emptyRecordsOfEachType() throws CorruptDataException {
    List<RefSeries> series = new ArrayList<>(List.of(new RefSeries(1, Labels.EMPTY)));
    Records.decodeSeries(ByteBuffer.wrap(Records.encodeSeries(List.of())), series);
    assertThat(series).isEmpty();
    SampleBatch s = new SampleBatch();
    s.add(1, 2, 3);
    assertThat(Records.encodeSamples(new SampleBatch())).containsExactly(2);
    Records.decodeSamples(ByteBuffer.wrap(new byte[] {2}), s);
    assertThat(s.size).isZero();
    assertThat(Records.encodeExemplars(List.of())).containsExactly(4);
    assertThat(Records.encodeTombstones(List.of())).containsExactly(3);
    assertThat(Records.encodeMetadata(List.of())).containsExactly(6);
  }

  @Test
  void seriesRoundTrip(SeededRandom random) throws CorruptDataException {
    List<RefSeries> in = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      in.add(new RefSeries(random.nextLong(), randomLabels(random)));
    }
    List<RefSeries> out = new ArrayList<>();
    Records.decodeSeries(ByteBuffer.wrap(Records.encodeSeries(in)), out);
    assertThat(out).containsExactlyElementsOf(in);
  }

  @Test
  void samplesRoundTripBitForBit(SeededRandom random) throws CorruptDataException {
    double[] special = {
      Double.NaN,
      StaleNaN.VALUE,
      Double.longBitsToDouble(0x7ff8000000000001L),
      -0.0,
      0.0,
      Double.POSITIVE_INFINITY,
      Double.NEGATIVE_INFINITY,
      Double.MIN_VALUE,
      Double.MAX_VALUE
    };
    SampleBatch in = new SampleBatch(4);
    SampleBatch out = new SampleBatch(4);
    for (int round = 0; round < 50; round++) {
      in.clear();
      int n = random.nextInt(1, 500);
      long ref = random.nextLong();
      long t = random.nextLong(-1L << 50, 1L << 50);
      for (int i = 0; i < n; i++) {
        long r = random.nextInt(3) == 0 ? random.nextLong() : ref + random.nextInt(-1000, 1000);
        long ts =
            random.nextInt(5) == 0 ? random.nextLong() : t + random.nextLong(-1 << 20, 1 << 20);
        double v =
            random.nextInt(4) == 0
                ? special[random.nextInt(special.length)]
                : random.nextDouble() * 1e6;
        in.add(r, ts, v);
      }
      Records.decodeSamples(ByteBuffer.wrap(Records.encodeSamples(in)), out);
      assertThat(out.size).isEqualTo(n);
      for (int i = 0; i < n; i++) {
        assertThat(out.refs[i]).isEqualTo(in.refs[i]);
        assertThat(out.ts[i]).isEqualTo(in.ts[i]);
        assertThat(Double.doubleToRawLongBits(out.vs[i]))
            .isEqualTo(Double.doubleToRawLongBits(in.vs[i]));
      }
    }
  }

  @Test
  void decodingSamplesReusesTheBatch() throws CorruptDataException {
    SampleBatch in = new SampleBatch();
    for (int i = 0; i < 100; i++) {
      in.add(i, i, i);
    }
    byte[] rec = Records.encodeSamples(in);
    SampleBatch out = new SampleBatch(1);
    Records.decodeSamples(ByteBuffer.wrap(rec), out);
    long[] refs = out.refs;
    double[] vs = out.vs;
    Records.decodeSamples(ByteBuffer.wrap(rec), out);
    assertThat(out.refs).isSameAs(refs);
    assertThat(out.vs).isSameAs(vs);
    assertThat(out.size).isEqualTo(100);
    Encbuf reused = new Encbuf(16);
    assertThat(Records.encodeSamples(in, reused).toByteArray()).isEqualTo(rec);
  }

  @Test
  void tombstonesExemplarsAndMetadataRoundTrip(SeededRandom random) throws CorruptDataException {
    List<Tombstone> ts = new ArrayList<>();
    List<RefExemplar> ex = new ArrayList<>();
    List<RefMetadata> md = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      long a = random.nextLong();
      ts.add(new Tombstone(random.nextLong(), a, random.nextLong()));
      ex.add(
          new RefExemplar(
              random.nextLong(),
              random.nextLong(),
              random.nextDouble(),
              random.nextBoolean() ? Labels.EMPTY : randomLabels(random)));
      md.add(
          new RefMetadata(
              random.nextLong(),
              random.nextInt(8),
              random.nextAscii(0, 5),
              random.nextUnicode(0, 30)));
    }
    List<Tombstone> ts2 = new ArrayList<>();
    Records.decodeTombstones(ByteBuffer.wrap(Records.encodeTombstones(ts)), ts2);
    assertThat(ts2).isEqualTo(ts);
    List<RefExemplar> ex2 = new ArrayList<>();
    Records.decodeExemplars(ByteBuffer.wrap(Records.encodeExemplars(ex)), ex2);
    assertThat(ex2).isEqualTo(ex);
    List<RefMetadata> md2 = new ArrayList<>();
    Records.decodeMetadata(ByteBuffer.wrap(Records.encodeMetadata(md)), md2);
    assertThat(md2).isEqualTo(md);
  }

  @Test
  void decodingLeavesTheBufferAloneAndReadsFromItsPosition() throws CorruptDataException {
    byte[] rec = Records.encodeTombstones(List.of(new Tombstone(1, 2, 3)));
    byte[] padded = new byte[rec.length + 3];
    System.arraycopy(rec, 0, padded, 3, rec.length);
    ByteBuffer b = ByteBuffer.wrap(padded).position(3);
    List<Tombstone> out = new ArrayList<>();
    assertThat(Records.type(b)).isEqualTo(Records.Type.TOMBSTONES);
    Records.decodeTombstones(b, out);
    assertThat(out).containsExactly(new Tombstone(1, 2, 3));
    assertThat(b.position()).isEqualTo(3);
  }

  @Test
  void labelsAreSortedAndEmptyValuesDropped() throws CorruptDataException {
    Encbuf b = new Encbuf(64).putByte(1).putBE64(3).putUvarint(3);
    b.putUvarintStr("zone").putUvarintStr("z").putUvarintStr("empty").putUvarintStr("");
    b.putUvarintStr("app").putUvarintStr("a");
    List<RefSeries> out = new ArrayList<>();
    Records.decodeSeries(ByteBuffer.wrap(b.toByteArray()), out);
    assertThat(out).containsExactly(new RefSeries(3, Labels.of("app", "a", "zone", "z")));
  }

  @Test
  void badRecordsAreCorrupt() {
    byte[] samples = Records.encodeSamples(oneSample());
    byte[] cut = java.util.Arrays.copyOf(samples, samples.length - 3);
    assertThatThrownBy(() -> Records.decodeSamples(ByteBuffer.wrap(cut), new SampleBatch()))
        .isInstanceOf(CorruptDataException.class)
        .hasMessageContaining("SAMPLES");
    assertThatThrownBy(() -> Records.decodeSeries(ByteBuffer.wrap(samples), new ArrayList<>()))
        .isInstanceOf(CorruptDataException.class)
        .hasMessageContaining("is not SERIES");
    byte[] dupes =
        new Encbuf(64)
            .putByte(1)
            .putBE64(1)
            .putUvarint(2)
            .putUvarintStr("a")
            .putUvarintStr("1")
            .putUvarintStr("a")
            .putUvarintStr("2")
            .toByteArray();
    assertThatThrownBy(() -> Records.decodeSeries(ByteBuffer.wrap(dupes), new ArrayList<>()))
        .isInstanceOf(CorruptDataException.class)
        .hasMessageContaining("duplicate");
    byte[] hugeCount = new Encbuf(16).putByte(1).putBE64(1).putUvarint(1 << 30).toByteArray();
    assertThatThrownBy(() -> Records.decodeSeries(ByteBuffer.wrap(hugeCount), new ArrayList<>()))
        .isInstanceOf(CorruptDataException.class);
  }

  private static SampleBatch oneSample() {
    SampleBatch s = new SampleBatch();
    s.add(1, 2, 3);
    return s;
  }

  private static Labels randomLabels(SeededRandom random) {
    Labels.Builder b = Labels.builder();
    b.set(Labels.METRIC_NAME, random.nextAscii(1, 20));
    for (int i = random.nextInt(0, 8); i > 0; i--) {
      b.set(random.nextAscii(1, 10), random.nextUnicode(0, 20));
    }
    return b.build();
  }
}
