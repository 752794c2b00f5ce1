package io.meridian.tsdb.wal;

import static io.meridian.tsdb.wal.WalFormat.PAGE_SIZE;
import static io.meridian.tsdb.wal.WalTesting.payloads;
import static io.meridian.tsdb.wal.WalTesting.readAll;
import static io.meridian.tsdb.wal.WalTesting.segment;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meridian.storage.CorruptDataException;
import io.meridian.testing.SeededRandom;
import io.meridian.testing.SeededRandomExtension;
import io.meridian.util.Encbuf;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(SeededRandomExtension.class)
class WalReaderTest {
  private static final int SEGMENT = 4 * PAGE_SIZE;

  @TempDir Path dir;

  /** Writes {@code n} records of 1000 bytes, each filled with its number, one per batch. */
  private List<byte[]> write(int n, int segmentSize) throws IOException {
    List<byte[]> written = new ArrayList<>();
    try (Wal wal = Wal.open(dir, segmentSize, Compression.NONE)) {
      for (int i = 0; i < n; i++) {
        byte[] rec = new byte[1000];
        java.util.Arrays.fill(rec, (byte) i);
        wal.log(rec);
        written.add(rec);
      }
    }
    return written;
  }

  private static WalCorruptionException corruption(ThrowingCallable read) {
    Throwable t = org.assertj.core.api.Assertions.catchThrowable(read);
    assertThat(t).isInstanceOf(WalCorruptionException.class);
    return (WalCorruptionException) t;
  }

  @Test
  void readsRangesOfSegments() throws IOException {
    List<byte[]> written = write(300, SEGMENT);
    List<Integer> segs = Wal.segments(dir);
    assertThat(segs).hasSize(3);
    List<WalTesting.Read> all = readAll(dir);
    assertThat(payloads(all)).containsExactlyElementsOf(written);
    List<WalTesting.Read> middle = readAll(dir, 1, 2);
    assertThat(middle).isNotEmpty().allSatisfy(r -> assertThat(r.segment()).isBetween(1, 2));
    assertThat(payloads(middle))
        .containsExactlyElementsOf(
            payloads(all.stream().filter(r -> r.segment() >= 1 && r.segment() <= 2).toList()));
    assertThat(readAll(dir, segs.getLast() + 1, Integer.MAX_VALUE)).isEmpty();
  }

  @Test
  void aSegmentEndingMidPageReadsAsPadded() throws IOException {
    try (Wal wal = Wal.open(dir, SEGMENT, Compression.NONE)) {
      wal.log(List.of(new byte[] {1}, new byte[] {2}));
      wal.nextSegment();
      wal.log(new byte[] {3});
      // Truncating the padding away leaves segment 0 ending mid-page, as a crash would.
      WalTesting.truncate(segment(dir, 0), 16);
      assertThat(payloads(readAll(dir)))
          .containsExactly(new byte[] {1}, new byte[] {2}, new byte[] {3});
    }
  }

  @Test
  void returnsRecordsOfEveryTypeForTheCallerToSkip() throws IOException {
    List<byte[]> recs =
        List.of(new byte[] {5, 0}, new byte[] {7, 1}, new byte[] {8}, new byte[] {42});
    try (Wal wal = Wal.open(dir, SEGMENT, Compression.NONE)) {
      wal.log(recs);
    }
    try (WalReader r = WalReader.open(dir, 0, Integer.MAX_VALUE)) {
      List<Records.Type> types = new ArrayList<>();
      while (r.next()) {
        types.add(Records.type(r.record()));
      }
      assertThat(types)
          .containsExactly(
              Records.Type.MMAP_MARKERS,
              Records.Type.HISTOGRAM_SAMPLES,
              Records.Type.FLOAT_HISTOGRAM_SAMPLES,
              Records.Type.UNKNOWN);
    }
  }

  @Test
  void aFlippedByteIsACorruptionNamingSegmentAndOffset(SeededRandom random) throws IOException {
    write(300, SEGMENT);
    int victim = 1;
    List<WalTesting.Read> before = readAll(dir);
    WalTesting.Read hit = before.stream().filter(r -> r.segment() == victim).toList().get(5);
    long at = hit.offset() + 7 + random.nextInt(1000);
    WalTesting.flipByte(segment(dir, victim), at);
    WalCorruptionException e = corruption(() -> readAll(dir));
    assertThat(e.segment()).isEqualTo(victim);
    assertThat(e.offset()).isEqualTo(hit.offset());
    assertThat(e.dir()).isEqualTo(dir);
    assertThat(e)
        .hasMessageContaining(segment(dir, victim).toString())
        .hasMessageContaining("at offset " + hit.offset())
        .hasMessageContaining("CRC");
  }

  @Test
  void aBadCrcInALaterFragmentBlamesTheRecordStart(SeededRandom random) throws IOException {
    byte[] big = WalTesting.incompressible(random, 3 * PAGE_SIZE);
    try (Wal wal = Wal.open(dir, 1 << 20, Compression.NONE)) {
      wal.log(List.of(new byte[100], big));
    }
    WalTesting.flipByte(segment(dir, 0), 2 * PAGE_SIZE + 50);
    WalCorruptionException e = corruption(() -> readAll(dir));
    assertThat(e.offset()).isEqualTo(107);
    assertThat(e).hasMessageContaining("fragment at " + 2 * PAGE_SIZE);
  }

  @Test
  void aTornTailIsACorruptionAtTheTornRecord() throws IOException {
    write(10, SEGMENT);
    List<WalTesting.Read> before = readAll(dir);
    WalTesting.Read last = before.getLast();
    WalTesting.truncate(segment(dir, last.segment()), last.offset() + 500);
    WalCorruptionException e = corruption(() -> readAll(dir));
    assertThat(e.segment()).isEqualTo(last.segment());
    assertThat(e.offset()).isEqualTo(last.offset());
    assertThat(e).hasMessageContaining("torn");
  }

  @Test
  void aTornHeaderIsACorruptionToo() throws IOException {
    write(3, SEGMENT);
    WalTesting.Read last = readAll(dir).getLast();
    WalTesting.truncate(segment(dir, 0), last.offset() + 4);
    WalCorruptionException e = corruption(() -> readAll(dir));
    assertThat(e.offset()).isEqualTo(last.offset());
    assertThat(e).hasMessageContaining("torn").hasMessageContaining("header");
  }

  /** The crash cut the file right after the first fragment, at a page boundary. */
  @Test
  void aRecordCutAtAPageBoundaryIsTorn(SeededRandom random) throws IOException {
    try (Wal wal = Wal.open(dir, 1 << 20, Compression.NONE)) {
      wal.log(List.of(new byte[100], WalTesting.incompressible(random, 2 * PAGE_SIZE)));
    }
    WalTesting.truncate(segment(dir, 0), PAGE_SIZE);
    WalCorruptionException e = corruption(() -> readAll(dir));
    assertThat(e.offset()).isEqualTo(107);
    assertThat(e).hasMessageContaining("torn record");
  }

  @Test
  void recognisesBadTypesSequencesAndPadding() throws IOException {
    write(2, SEGMENT); // records at 0 and 1007, padding from 2014
    Path seg = segment(dir, 0);
    WalTesting.writeByte(seg, 1007, 0x07);
    assertThat(corruption(() -> readAll(dir))).hasMessageContaining("bad fragment type byte 0x07");
    WalTesting.writeByte(seg, 1007, WalFormat.MIDDLE);
    assertThat(corruption(() -> readAll(dir)))
        .hasMessageContaining("unexpected middle fragment at 1007 with no record open");
    WalTesting.writeByte(seg, 1007, WalFormat.FULL | WalFormat.SNAPPY_FLAG | WalFormat.ZSTD_FLAG);
    assertThat(corruption(() -> readAll(dir))).hasMessageContaining("bad fragment type byte 0x19");
    WalTesting.writeByte(seg, 1007, WalFormat.FULL);
    assertThat(readAll(dir)).hasSize(2);
    WalTesting.writeByte(seg, 5000, 0x01);
    WalCorruptionException e = corruption(() -> readAll(dir));
    assertThat(e.offset()).isEqualTo(2014);
    assertThat(e).hasMessageContaining("non-zero byte in page padding at 5000");
  }

  @Test
  void aFirstFragmentWithoutItsLastIsCaughtAtTheNextRecord() throws IOException {
    write(3, SEGMENT);
    WalTesting.writeByte(segment(dir, 0), 0, WalFormat.FIRST);
    WalCorruptionException e = corruption(() -> readAll(dir));
    assertThat(e.offset()).isZero();
    assertThat(e).hasMessageContaining("unexpected full fragment at 1007 inside the record at 0");
  }

  @Test
  void aRecordThatDoesNotDecompressIsCorrupt() throws IOException {
    // A valid fragment flagged snappy whose data is not snappy.
    Encbuf seg = new Encbuf(64);
    byte[] data = {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 1};
    seg.putByte(WalFormat.FULL | WalFormat.SNAPPY_FLAG).putByte(0).putByte(data.length);
    int crcAt = seg.len();
    seg.putBE32(0).putBytes(data);
    seg.setBE32(crcAt, seg.crc32c(crcAt + 4, seg.len()));
    Files.write(segment(dir, 0), seg.toByteArray());
    assertThat(corruption(() -> readAll(dir))).hasMessageContaining("snappy");
  }

  /**
   * Go's zstd may leave the content size out of the frame header; the reader then has to find the
   * size by trying. Frame by hand: magic 28b52ffd, descriptor 00 (no content size, no checksum),
   * window descriptor 38 (128 KiB), one last RLE block of 100000 bytes: header (100000 << 3 | 1 <<
   * 1 | 1) as 3 little-endian bytes, then the byte 'z'.
   */
  @Test
  void decompressesZstdFramesWithoutContentSize() throws IOException {
    int n = 100_000;
    int blockHeader = n << 3 | 1 << 1 | 1;
    byte[] frame = {
      0x28,
      (byte) 0xb5,
      0x2f,
      (byte) 0xfd,
      0x00,
      0x38,
      (byte) blockHeader,
      (byte) (blockHeader >>> 8),
      (byte) (blockHeader >>> 16),
      'z'
    };
    Encbuf seg = new Encbuf(64);
    seg.putByte(WalFormat.FULL | WalFormat.ZSTD_FLAG).putByte(0).putByte(frame.length);
    int crcAt = seg.len();
    seg.putBE32(0).putBytes(frame);
    seg.setBE32(crcAt, seg.crc32c(crcAt + 4, seg.len()));
    Files.write(segment(dir, 0), seg.toByteArray());
    byte[] expected = new byte[n];
    java.util.Arrays.fill(expected, (byte) 'z');
    assertThat(payloads(readAll(dir))).containsExactly(expected);
  }

  @Test
  void aGapBetweenSegmentsIsRefused() throws IOException {
    for (String name : List.of("00000003", "00000004", "00000006")) {
      Files.write(dir.resolve(name), new byte[0]);
    }
    assertThatThrownBy(() -> WalReader.open(dir, 0, Integer.MAX_VALUE))
        .isInstanceOf(CorruptDataException.class)
        .hasMessageContaining("00000004 is followed by 00000006");
    assertThat(readAll(dir, 0, 4)).isEmpty();
  }

  @Test
  void recordBeforeNextIsAnError() throws IOException {
    try (WalReader r = WalReader.open(dir, 0, Integer.MAX_VALUE)) {
      assertThatThrownBy(r::record).isInstanceOf(IllegalStateException.class);
      assertThat(r.next()).isFalse();
    }
  }

  /** Reads a segment with tail readers from {@code offset} on; returns payloads and the resume. */
  private static long tailInto(Path dir, int segment, long offset, List<byte[]> into)
      throws IOException {
    try (WalReader r = WalReader.tail(dir, segment, offset)) {
      while (r.next()) {
        ByteBuffer b = r.record();
        byte[] p = new byte[b.remaining()];
        b.get(p);
        into.add(p);
      }
      return r.resumeOffset();
    }
  }

  @Test
  void aTailReaderStopsAtAnUnfinishedRecordAndResumesThereOnceItIsWritten() throws IOException {
    List<byte[]> written = write(40, 1 << 20); // one segment, records crossing pages
    Path seg = segment(dir, 0);
    List<WalTesting.Read> all = readAll(dir);
    WalTesting.Read cut = all.get(25);
    byte[] whole = Files.readAllBytes(seg);
    WalTesting.truncate(seg, cut.offset() + 600); // the writer is inside record 25

    List<byte[]> got = new ArrayList<>();
    long resume = tailInto(dir, 0, 0, got);
    assertThat(resume).isEqualTo(cut.offset());
    assertThat(got).containsExactlyElementsOf(written.subList(0, 25));
    try (WalReader r = WalReader.tail(dir, 0, resume)) {
      assertThat(r.next()).isFalse();
      assertThat(r.stoppedInsideRecord()).isTrue();
    }

    Files.write(seg, whole); // the writer finished
    resume = tailInto(dir, 0, resume, got);
    assertThat(got).containsExactlyElementsOf(written);
    assertThat(tailInto(dir, 0, resume, new ArrayList<>())).isEqualTo(resume);
  }

  @Test
  void aTailReaderStartsAtAnyRecordBoundary() throws IOException {
    List<byte[]> written = write(40, 1 << 20);
    List<WalTesting.Read> all = readAll(dir);
    for (int k : new int[] {1, 7, 33, 39}) {
      List<byte[]> got = new ArrayList<>();
      tailInto(dir, 0, all.get(k).offset(), got);
      assertThat(got).containsExactlyElementsOf(written.subList(k, 40));
    }
  }

  @Test
  void aSegmentHoldsItsRecordsOnceTheNextOneExists() throws IOException {
    // A WAL tailer moves on when the next segment appears; the records logged before it, in the
    // same batch, must be readable by then, though the old segment is closed in the background.
    byte[] small = new byte[1000];
    java.util.Arrays.fill(small, (byte) 7);
    byte[] big = new byte[4 * PAGE_SIZE];
    try (Wal wal = Wal.open(dir, SEGMENT, Compression.NONE)) {
      for (int round = 0; round < 20; round++) {
        int before = wal.currentSegment();
        wal.log(List.of(small, big)); // the big one does not fit: it starts the next segment
        assertThat(wal.currentSegment()).isGreaterThan(before);
        List<byte[]> got = new ArrayList<>();
        tailInto(dir, wal.currentSegment() - 1, 0, got);
        assertThat(got).as("round %d", round).isNotEmpty();
        assertThat(got.getLast()).isEqualTo(small);
      }
    }
  }
}
