package io.meridian.tsdb.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meridian.model.Labels;
import io.meridian.storage.CorruptDataException;
import io.meridian.tsdb.wal.Records.RefExemplar;
import io.meridian.tsdb.wal.Records.RefMetadata;
import io.meridian.tsdb.wal.Records.RefSeries;
import io.meridian.tsdb.wal.Records.SampleBatch;
import io.meridian.tsdb.wal.Records.Tombstone;
import io.meridian.util.Encbuf;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointTest {
  private static final int SEGMENT = 2 * WalFormat.PAGE_SIZE;

  @TempDir Path dir;

  /** What replay of a directory yields, decoded. */
  private static final class Replayed {
    final List<RefSeries> series = new ArrayList<>();
    final List<long[]> samples = new ArrayList<>(); // {ref, t, value bits}
    final List<Tombstone> tombstones = new ArrayList<>();
    final List<RefExemplar> exemplars = new ArrayList<>();
    final List<RefMetadata> metadata = new ArrayList<>();
    final List<byte[]> histograms = new ArrayList<>();
    int other;

    void read(Path d, int from) throws IOException {
      List<RefSeries> s = new ArrayList<>();
      List<Tombstone> t = new ArrayList<>();
      List<RefExemplar> e = new ArrayList<>();
      List<RefMetadata> m = new ArrayList<>();
      SampleBatch b = new SampleBatch();
      try (WalReader r = WalReader.open(d, from, Integer.MAX_VALUE)) {
        while (r.next()) {
          ByteBuffer rec = r.record();
          switch (Records.type(rec)) {
            case SERIES -> {
              Records.decodeSeries(rec, s);
              series.addAll(s);
            }
            case SAMPLES -> {
              Records.decodeSamples(rec, b);
              for (int i = 0; i < b.size; i++) {
                samples.add(new long[] {b.refs[i], b.ts[i], Double.doubleToRawLongBits(b.vs[i])});
              }
            }
            case TOMBSTONES -> {
              Records.decodeTombstones(rec, t);
              tombstones.addAll(t);
            }
            case EXEMPLARS -> {
              Records.decodeExemplars(rec, e);
              exemplars.addAll(e);
            }
            case METADATA -> {
              Records.decodeMetadata(rec, m);
              metadata.addAll(m);
            }
            case HISTOGRAM_SAMPLES, FLOAT_HISTOGRAM_SAMPLES ->
                histograms.add(WalTesting.bytes(rec));
            default -> other++;
          }
        }
      }
    }

    /** The newest checkpoint, then the segments after it, as a head replays. */
    static Replayed of(Path walDir) throws IOException {
      Replayed out = new Replayed();
      OptionalInt cp = Checkpoint.latest(walDir);
      if (cp.isPresent()) {
        out.read(Checkpoint.dir(walDir, cp.getAsInt()), 0);
      }
      out.read(walDir, cp.isPresent() ? cp.getAsInt() + 1 : 0);
      return out;
    }
  }

  private static boolean even(long ref) {
    return ref % 2 == 0;
  }

  private static Labels series(long ref) {
    return Labels.of("__name__", "m", "ref", Long.toString(ref));
  }

  private static byte[] samples(long... refAndT) {
    SampleBatch b = new SampleBatch();
    for (int i = 0; i < refAndT.length; i += 2) {
      b.add(refAndT[i], refAndT[i + 1], refAndT[i + 1] / 10.0);
    }
    return Records.encodeSamples(b);
  }

  /** Segment 0: series 1-4 and samples; segment 1: more; segment 2: after the checkpoint. */
  private void writeLog() throws IOException {
    try (Wal wal = Wal.open(dir, SEGMENT, Compression.SNAPPY)) {
      List<RefSeries> s = new ArrayList<>();
      for (long ref = 1; ref <= 4; ref++) {
        s.add(new RefSeries(ref, series(ref)));
      }
      wal.log(Records.encodeSeries(s));
      wal.log(samples(1, 100, 2, 100, 3, 100, 4, 100));
      wal.log(Records.encodeMetadata(List.of(new RefMetadata(2, 1, "", "old help"))));
      wal.nextSegment();
      wal.log(samples(1, 200, 2, 200, 4, 200));
      wal.log(
          Records.encodeTombstones(
              List.of(
                  new Tombstone(2, 0, 50), new Tombstone(4, 0, 300), new Tombstone(3, 0, 300))));
      wal.log(
          Records.encodeExemplars(
              List.of(
                  new RefExemplar(2, 90, 1, Labels.of("trace", "a")),
                  new RefExemplar(2, 210, 2, Labels.of("trace", "b")),
                  new RefExemplar(3, 210, 3, Labels.EMPTY))));
      wal.log(Records.encodeMetadata(List.of(new RefMetadata(2, 1, "", "new help"))));
      wal.log(List.of(new byte[] {5, 1, 2}, new byte[] {99}));
      wal.nextSegment();
      wal.log(Records.encodeSeries(List.of(new RefSeries(6, series(6)))));
      wal.log(samples(2, 300, 6, 300));
    }
  }

  @Test
  void keepsLiveSeriesAndRecentDataAndReplaysWithLaterSegments() throws IOException {
    writeLog();
    Checkpoint.Stats stats =
        Checkpoint.create(dir, 0, 1, CheckpointTest::even, 150, Compression.NONE);
    assertThat(stats).isEqualTo(new Checkpoint.Stats(2, 5, 2, 2));
    assertThat(Checkpoint.latest(dir)).hasValue(1);
    assertThat(Checkpoint.dir(dir, 1)).isDirectory().hasFileName("checkpoint.00000001");
    assertThat(dir.resolve("checkpoint.00000001.tmp")).doesNotExist();

    Replayed cp = new Replayed();
    cp.read(Checkpoint.dir(dir, 1), 0);
    assertThat(cp.series).extracting(RefSeries::ref).containsExactly(2L, 4L);
    assertThat(cp.samples).extracting(s -> s[0] + "@" + s[1]).containsExactly("2@200", "4@200");
    assertThat(cp.tombstones).containsExactly(new Tombstone(4, 0, 300));
    assertThat(cp.exemplars).containsExactly(new RefExemplar(2, 210, 2, Labels.of("trace", "b")));
    assertThat(cp.metadata).containsExactly(new RefMetadata(2, 1, "", "new help"));
    assertThat(cp.other).as("mmap markers and unknown records are dropped").isZero();

    Wal.deleteSegmentsBefore(dir, 2);
    Replayed all = Replayed.of(dir);
    assertThat(all.series).extracting(RefSeries::ref).containsExactly(2L, 4L, 6L);
    assertThat(all.samples)
        .extracting(s -> s[0] + "@" + s[1])
        .containsExactly("2@200", "4@200", "2@300", "6@300");
    assertThat(all.samples.getFirst()[2]).isEqualTo(Double.doubleToRawLongBits(20.0));
  }

  @Test
  void aLaterCheckpointCarriesTheEarlierOneForward() throws IOException {
    writeLog();
    Checkpoint.create(dir, 0, 0, ref -> true, 0, Compression.ZSTD);
    Wal.deleteSegmentsBefore(dir, 1);
    Checkpoint.Stats stats = Checkpoint.create(dir, 0, 1, ref -> ref != 1, 150, Compression.SNAPPY);
    assertThat(stats.keptSeries()).isEqualTo(3);
    assertThat(stats.droppedSeries()).isEqualTo(1);
    Checkpoint.deleteOlderThan(dir, 1);
    assertThat(Checkpoint.dir(dir, 0)).doesNotExist();
    Wal.deleteSegmentsBefore(dir, 2);

    Replayed all = Replayed.of(dir);
    assertThat(all.series).extracting(RefSeries::ref).containsExactly(2L, 3L, 4L, 6L);
    assertThat(all.samples)
        .extracting(s -> s[0] + "@" + s[1])
        .containsExactly("2@200", "4@200", "2@300", "6@300");
  }

  @Test
  void refusesAGapAfterTheLastCheckpoint() throws IOException {
    writeLog();
    Checkpoint.create(dir, 0, 0, ref -> true, 0, Compression.NONE);
    assertThatThrownBy(() -> Checkpoint.create(dir, 2, 2, ref -> true, 0, Compression.NONE))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("gap");
  }

  @Test
  void aCorruptSegmentFailsTheCheckpointAndLeavesNoTrace() throws IOException {
    writeLog();
    WalTesting.flipByte(WalTesting.segment(dir, 1), 10);
    assertThatThrownBy(
            () -> Checkpoint.create(dir, 0, 1, CheckpointTest::even, 0, Compression.NONE))
        .isInstanceOf(WalCorruptionException.class);
    assertThat(Checkpoint.latest(dir)).isEmpty();
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("check"));
    }
  }

  @Test
  void latestAndDeleteOlderThanSeeOnlyCheckpointDirectories() throws IOException {
    for (String name :
        List.of(
            "checkpoint.00000003",
            "checkpoint.00000007",
            "checkpoint.00000009.tmp",
            "checkpoint.00000002.tmp",
            "checkpoint.x")) {
      Files.createDirectories(dir.resolve(name));
    }
    Files.writeString(dir.resolve("checkpoint.00000012"), "a file");
    assertThat(Checkpoint.latest(dir)).hasValue(7);
    Checkpoint.deleteOlderThan(dir, 7);
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder(
              "checkpoint.00000007",
              "checkpoint.00000009.tmp",
              "checkpoint.x",
              "checkpoint.00000012");
    }
    assertThat(Checkpoint.latest(dir.resolve("missing"))).isEmpty();
  }

  @Test
  void filtersNativeHistogramSamplesWithoutDecodingThem() throws IOException, CorruptDataException {
    // Three integer histograms: (ref 2, t 100), (ref 3, t 200), (ref 4, t 300).
    byte[] rec = histogramRecord(7, new long[] {2, 3, 4}, new long[] {100, 200, 300});
    byte[] floats = histogramRecord(8, new long[] {2, 4}, new long[] {100, 100});
    try (Wal wal = Wal.open(dir, SEGMENT, Compression.NONE)) {
      wal.log(List.of(rec, floats));
    }
    Checkpoint.Stats stats =
        Checkpoint.create(dir, 0, 0, CheckpointTest::even, 150, Compression.NONE);
    assertThat(stats.keptSamples()).isEqualTo(1);
    assertThat(stats.droppedSamples()).isEqualTo(4);
    Replayed cp = new Replayed();
    cp.read(Checkpoint.dir(dir, 0), 0);
    assertThat(cp.histograms).hasSize(1);
    assertThat(cp.histograms.getFirst())
        .isEqualTo(histogramRecord(7, new long[] {4}, new long[] {300}));
  }

  @Test
  void keepsAHistogramRecordOfUnknownLayoutWhole() throws IOException {
    byte[] odd = {7, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0};
    try (Wal wal = Wal.open(dir, SEGMENT, Compression.NONE)) {
      wal.log(odd);
    }
    Checkpoint.create(dir, 0, 0, ref -> false, Long.MAX_VALUE, Compression.NONE);
    Replayed cp = new Replayed();
    cp.read(Checkpoint.dir(dir, 0), 0);
    assertThat(cp.histograms).containsExactly(odd);
  }

  /**
   * A histogram record in Prometheus's layout: each sample has one positive span of two buckets;
   * the body depends on the ref so a wrong copy shows.
   */
  private static byte[] histogramRecord(int type, long[] refs, long[] ts) {
    boolean f = type == 8;
    Encbuf b = new Encbuf(256).putByte(type).putBE64(refs[0]).putBE64(ts[0]);
    for (int i = 0; i < refs.length; i++) {
      b.putVarint(refs[i] - refs[0]).putVarint(ts[i] - ts[0]);
      b.putByte(0); // counter reset hint
      b.putVarint(3); // schema
      b.putBE64(Double.doubleToRawLongBits(1e-128)); // zero threshold
      count(b, f, refs[i]); // zero count
      count(b, f, 10 * refs[i]); // count
      b.putBE64(Double.doubleToRawLongBits(refs[i] * 1.5)); // sum
      b.putUvarint(1).putVarint(-1).putUvarint(2); // positive spans
      b.putUvarint(0); // negative spans
      b.putUvarint(2);
      count(b, f, refs[i]);
      count(b, f, -1); // positive buckets
      b.putUvarint(0); // negative buckets
    }
    return b.toByteArray();
  }

  private static Encbuf count(Encbuf b, boolean asFloat, long v) {
    return asFloat ? b.putBE64(Double.doubleToRawLongBits((double) v)) : b.putVarint(v);
  }

  @Test
  void histogramFilterKeepsEverythingWhenAskedTo() {
    byte[] rec = histogramRecord(8, new long[] {5, 1, 9}, new long[] {10, 5, 20});
    HistogramFilter filter = new HistogramFilter();
    Encbuf out = filter.filter(ByteBuffer.wrap(rec), ref -> true, Long.MIN_VALUE);
    assertThat(out.toByteArray()).isEqualTo(rec);
    assertThat(filter.total).isEqualTo(3);
    assertThat(filter.kept).isEqualTo(3);
    Encbuf none = filter.filter(ByteBuffer.wrap(rec), ref -> false, Long.MIN_VALUE);
    assertThat(none.len()).isZero();
  }
}
