package io.meridian.tsdb.wal;

import static io.meridian.tsdb.wal.WalFormat.PAGE_SIZE;
import static io.meridian.tsdb.wal.WalTesting.compressible;
import static io.meridian.tsdb.wal.WalTesting.incompressible;
import static io.meridian.tsdb.wal.WalTesting.payloads;
import static io.meridian.tsdb.wal.WalTesting.readAll;
import static io.meridian.tsdb.wal.WalTesting.segment;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meridian.testing.SeededRandom;
import io.meridian.testing.SeededRandomExtension;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@ExtendWith(SeededRandomExtension.class)
class WalTest {
  private static final int SMALL_SEGMENT = 64 * 1024;

  @TempDir Path dir;

  @Test
  void namesFilesLikePrometheus() {
    assertThat(WalFormat.segmentName(0)).isEqualTo("00000000");
    assertThat(WalFormat.segmentName(42)).isEqualTo("00000042");
    assertThat(WalFormat.segmentName(123456789)).isEqualTo("123456789");
    assertThat(WalFormat.checkpointName(7)).isEqualTo("checkpoint.00000007");
    assertThat(WalFormat.parseIndex("000123")).isEqualTo(123);
    assertThat(WalFormat.parseIndex("12a")).isEqualTo(-1);
    assertThat(WalFormat.parseIndex("")).isEqualTo(-1);
    assertThat(WalFormat.parseIndex("99999999999")).isEqualTo(-1);
  }

  /**
   * One full fragment of "123456789": type 0x01 (full, uncompressed), length 0x0009 big-endian,
   * then CRC-32C of the data big-endian, which for "123456789" is the standard check value
   * 0xe3069283, then the data.
   */
  @Test
  void writesTheFragmentLayoutByHand() throws IOException {
    try (Wal wal = Wal.open(dir, SMALL_SEGMENT, Compression.NONE)) {
      wal.log("123456789".getBytes(StandardCharsets.US_ASCII));
      byte[] file = Files.readAllBytes(segment(dir, 0));
      assertThat(HexFormat.of().formatHex(file)).isEqualTo("010009e3069283" + "313233343536373839");
    }
    byte[] closed = Files.readAllBytes(segment(dir, 0));
    assertThat(closed).hasSize(PAGE_SIZE);
    assertThat(Arrays.copyOfRange(closed, 16, PAGE_SIZE)).containsOnly((byte) 0);
  }

  @Test
  void aBatchEndsMidPageAndTheNextContinuesThatPage() throws IOException {
    try (Wal wal = Wal.open(dir, SMALL_SEGMENT, Compression.NONE)) {
      wal.log(List.of(new byte[10], new byte[20]));
      assertThat(Files.size(segment(dir, 0))).isEqualTo(7 + 10 + 7 + 20);
      wal.log(new byte[5]);
      assertThat(Files.size(segment(dir, 0))).isEqualTo(7 + 10 + 7 + 20 + 7 + 5);
      assertThat(payloads(readAll(dir))).containsExactly(new byte[10], new byte[20], new byte[5]);
    }
  }

  @Test
  void splitsARecordLargerThanAPageIntoFirstMiddleLast(SeededRandom random) throws IOException {
    byte[] big = incompressible(random, 2 * PAGE_SIZE + 100);
    try (Wal wal = Wal.open(dir, 1 << 20, Compression.SNAPPY)) {
      wal.log(List.of(new byte[3], big));
    }
    byte[] file = Files.readAllBytes(segment(dir, 0));
    assertThat(file[0]).isEqualTo((byte) WalFormat.FULL);
    assertThat(file[10]).as("first fragment after the full one").isEqualTo((byte) WalFormat.FIRST);
    assertThat(file[PAGE_SIZE]).isEqualTo((byte) WalFormat.MIDDLE);
    assertThat(file[2 * PAGE_SIZE]).isEqualTo((byte) WalFormat.LAST);
    assertThat(file).hasSize(3 * PAGE_SIZE);
    List<WalTesting.Read> read = readAll(dir);
    assertThat(payloads(read)).containsExactly(new byte[3], big);
    assertThat(read.get(1).offset()).isEqualTo(10);
  }

  @Test
  void padsThePageWhenNoHeaderFitsAnyMore() throws IOException {
    int fillsAllButThree = PAGE_SIZE - 3 - 7;
    int fillsExactly = PAGE_SIZE - 7;
    try (Wal wal = Wal.open(dir, SMALL_SEGMENT * 4, Compression.NONE)) {
      wal.log(List.of(new byte[fillsAllButThree], new byte[fillsExactly], new byte[1]));
    }
    List<WalTesting.Read> read = readAll(dir);
    assertThat(read)
        .extracting(WalTesting.Read::offset)
        .containsExactly(0L, (long) PAGE_SIZE, 2L * PAGE_SIZE);
    assertThat(read)
        .extracting(r -> r.bytes().length)
        .containsExactly(fillsAllButThree, fillsExactly, 1);
    byte[] file = Files.readAllBytes(segment(dir, 0));
    assertThat(Arrays.copyOfRange(file, PAGE_SIZE - 3, PAGE_SIZE)).containsOnly((byte) 0);
  }

  /** Prometheus then writes an empty first fragment and the data in the next page. */
  @Test
  void aPageWithRoomForJustAHeaderGetsAnEmptyFirstFragment() throws IOException {
    int leavesSeven = PAGE_SIZE - 7 - 7;
    try (Wal wal = Wal.open(dir, SMALL_SEGMENT, Compression.NONE)) {
      wal.log(List.of(new byte[leavesSeven], new byte[] {1, 2, 3}, new byte[0]));
    }
    byte[] file = Files.readAllBytes(segment(dir, 0));
    assertThat(HexFormat.of().formatHex(file, PAGE_SIZE - 7, PAGE_SIZE + 10 + 7))
        .isEqualTo("02000000000000" + "040003f130f21e010203" + "01000000000000");
    List<WalTesting.Read> read = readAll(dir);
    assertThat(payloads(read))
        .containsExactly(new byte[leavesSeven], new byte[] {1, 2, 3}, new byte[0]);
    assertThat(read.get(1).offset()).isEqualTo(PAGE_SIZE - 7);
  }

  @Test
  void emptyRecordsRoundTrip() throws IOException {
    try (Wal wal = Wal.open(dir, SMALL_SEGMENT, Compression.SNAPPY)) {
      wal.log(List.of(new byte[0], new byte[] {2}, new byte[0]));
    }
    assertThat(payloads(readAll(dir))).containsExactly(new byte[0], new byte[] {2}, new byte[0]);
  }

  @Test
  void manySmallRecords(SeededRandom random) throws IOException {
    List<byte[]> written = new ArrayList<>();
    try (Wal wal = Wal.open(dir, SMALL_SEGMENT, Compression.NONE)) {
      for (int batch = 0; batch < 200; batch++) {
        List<byte[]> recs = new ArrayList<>();
        for (int i = random.nextInt(1, 30); i > 0; i--) {
          recs.add(WalTesting.record(random, random.nextInt(0, 40)));
        }
        wal.log(recs);
        written.addAll(recs);
      }
    }
    assertThat(payloads(readAll(dir))).containsExactlyElementsOf(written);
    assertThat(Wal.segments(dir).size()).isGreaterThan(1);
  }

  @ParameterizedTest
  @EnumSource(Compression.class)
  void compressesOnlyWhenItHelps(Compression c) throws IOException {
    Path d = dir;
    SeededRandom random = new SeededRandom(7);
    byte[] squashy = compressible(5000);
    byte[] noise = incompressible(random, 5000);
    try (Wal wal = Wal.open(d, SMALL_SEGMENT, c)) {
      wal.log(List.of(squashy, noise));
    }
    byte[] file = Files.readAllBytes(segment(d, 0));
    assertThat(file[0] & 0xff).isEqualTo(WalFormat.FULL | c.flag());
    int secondAt = 7 + (((file[1] & 0xff) << 8) | (file[2] & 0xff));
    assertThat(file[secondAt]).as("incompressible stays plain").isEqualTo((byte) WalFormat.FULL);
    if (c != Compression.NONE) {
      assertThat(secondAt).isLessThan(7 + 5000);
    }
    assertThat(payloads(readAll(d))).containsExactly(squashy, noise);
  }

  @Test
  void recordsNeverCrossSegments(SeededRandom random) throws IOException {
    List<byte[]> written = new ArrayList<>();
    try (Wal wal = Wal.open(dir, SMALL_SEGMENT, random.pick(Compression.values()))) {
      for (int i = 0; i < 60; i++) {
        int size =
            random.pick(
                random.nextInt(0, 100),
                random.nextInt(PAGE_SIZE - 20, PAGE_SIZE + 20),
                random.nextInt(SMALL_SEGMENT - 3 * PAGE_SIZE / 2, SMALL_SEGMENT - 7),
                random.nextInt(SMALL_SEGMENT, 3 * SMALL_SEGMENT));
        byte[] rec = WalTesting.record(random, size);
        wal.log(rec);
        written.add(rec);
      }
    }
    List<WalTesting.Read> read = readAll(dir);
    assertThat(payloads(read)).containsExactlyElementsOf(written);
    for (int s : Wal.segments(dir)) {
      long size = Files.size(segment(dir, s));
      boolean oneBigRecord = read.stream().filter(r -> r.segment() == s).count() == 1;
      if (!oneBigRecord) {
        assertThat(size).as("segment %d", s).isLessThanOrEqualTo(SMALL_SEGMENT);
      }
      assertThat(size % PAGE_SIZE).as("closed segments end on a page").isZero();
    }
  }

  @Test
  void randomBatchesSegmentsAndCompression(SeededRandom random) throws IOException {
    List<byte[]> written = new ArrayList<>();
    for (int session = 0; session < 3; session++) {
      try (Wal wal = Wal.open(dir, SMALL_SEGMENT, random.pick(Compression.values()))) {
        for (int batch = random.nextInt(1, 40); batch > 0; batch--) {
          List<byte[]> recs = new ArrayList<>();
          for (int i = random.nextInt(0, 5); i > 0; i--) {
            int size =
                random.nextInt(4) == 0 ? random.nextInt(0, 3 * PAGE_SIZE) : random.nextInt(200);
            recs.add(WalTesting.record(random, size));
          }
          wal.log(recs);
          written.addAll(recs);
          if (random.nextInt(10) == 0) {
            wal.nextSegment();
          }
        }
      }
    }
    assertThat(payloads(readAll(dir))).containsExactlyElementsOf(written);
  }

  @Test
  void reopeningStartsANewSegmentAndKeepsTheOldRecords() throws IOException {
    try (Wal wal = Wal.open(dir, SMALL_SEGMENT, Compression.NONE)) {
      assertThat(wal.currentSegment()).isZero();
      wal.log(new byte[] {1});
    }
    try (Wal wal = Wal.open(dir, SMALL_SEGMENT, Compression.NONE)) {
      assertThat(wal.currentSegment()).isEqualTo(1);
      wal.log(new byte[] {2});
    }
    List<WalTesting.Read> read = readAll(dir);
    assertThat(payloads(read)).containsExactly(new byte[] {1}, new byte[] {2});
    assertThat(read).extracting(WalTesting.Read::segment).containsExactly(0, 1);
  }

  @Test
  void nextSegmentMovesOn() throws IOException {
    try (Wal wal = Wal.open(dir, SMALL_SEGMENT, Compression.NONE)) {
      wal.log(new byte[] {1});
      assertThat(wal.nextSegment()).isEqualTo(1);
      assertThat(wal.nextSegment()).isEqualTo(2);
      wal.log(new byte[] {3});
      wal.sync();
      assertThat(wal.currentSegment()).isEqualTo(2);
      assertThat(wal.dir()).isEqualTo(dir);
    }
    assertThat(Wal.segments(dir)).containsExactly(0, 1, 2);
    assertThat(Files.size(segment(dir, 1))).isZero();
    assertThat(readAll(dir)).extracting(WalTesting.Read::segment).containsExactly(0, 2);
  }

  @Test
  void listsAndDeletesSegmentsOnly() throws IOException {
    Files.createDirectories(dir.resolve("checkpoint.00000001"));
    Files.createDirectories(dir.resolve("00000009")); // a directory is not a segment
    Files.writeString(dir.resolve("notes"), "x");
    Files.writeString(dir.resolve("00000003.repair"), "x");
    for (String name : List.of("00000002", "3", "00000004")) {
      Files.write(dir.resolve(name), new byte[0]);
    }
    assertThat(Wal.segments(dir)).containsExactly(2, 3, 4);
    Wal.deleteSegmentsBefore(dir, 4);
    assertThat(Wal.segments(dir)).containsExactly(4);
    assertThat(dir.resolve("checkpoint.00000001")).isDirectory();
    assertThat(Wal.segments(dir.resolve("missing"))).isEmpty();
  }

  @Test
  void refusesSegmentSizesThatAreNotWholePages() {
    assertThatThrownBy(() -> Wal.open(dir, PAGE_SIZE + 1, Compression.NONE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("32768");
    assertThatThrownBy(() -> Wal.open(dir, 0, Compression.NONE))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void closeIsIdempotentAndLoggingAfterItFails() throws IOException {
    Wal wal = Wal.open(dir, SMALL_SEGMENT, Compression.NONE);
    wal.close();
    wal.close();
    assertThatThrownBy(() -> wal.log(new byte[1]))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("closed");
  }

  @Test
  void concurrentWritersLoseNothing(SeededRandom random) throws Exception {
    int threads = 4;
    int perThread = 300;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try (Wal wal = Wal.open(dir, SMALL_SEGMENT, Compression.SNAPPY)) {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int id = t;
        int size = random.nextInt(1, 500);
        done.add(
            pool.submit(() -> {
              for (int i = 0; i < perThread; i++) {
                byte[] rec = new byte[size];
                rec[0] = (byte) id;
                wal.log(List.of(rec, rec));
              }
              return null;
            }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
    List<WalTesting.Read> read = readAll(dir);
    assertThat(read).hasSize(threads * perThread * 2);
    for (int t = 0; t < threads; t++) {
      int id = t;
      assertThat(read.stream().filter(r -> r.bytes()[0] == id).count()).isEqualTo(perThread * 2L);
    }
  }
}
