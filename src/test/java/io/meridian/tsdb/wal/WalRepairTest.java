package io.meridian.tsdb.wal;

import static io.meridian.tsdb.wal.WalFormat.PAGE_SIZE;
import static io.meridian.tsdb.wal.WalTesting.payloads;
import static io.meridian.tsdb.wal.WalTesting.readAll;
import static io.meridian.tsdb.wal.WalTesting.segment;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.meridian.testing.SeededRandom;
import io.meridian.testing.SeededRandomExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(SeededRandomExtension.class)
class WalRepairTest {
  private static final int SEGMENT = 4 * PAGE_SIZE;

  @TempDir Path dir;

  private List<byte[]> write(SeededRandom random, int n, Compression c) throws IOException {
    List<byte[]> written = new ArrayList<>();
    try (Wal wal = Wal.open(dir, SEGMENT, c)) {
      for (int i = 0; i < n; i++) {
        byte[] rec = WalTesting.record(random, random.nextInt(0, 3 * PAGE_SIZE / 2));
        if (rec.length > 0) {
          rec[0] = (byte) i;
        }
        wal.log(rec);
        written.add(rec);
      }
    }
    return written;
  }

  private WalCorruptionException readUntilCorrupt() {
    return catchThrowableOfType(WalCorruptionException.class, () -> readAll(dir));
  }

  @Test
  void keepsExactlyTheRecordsBeforeAMidLogCorruption(SeededRandom random) throws IOException {
    List<byte[]> written = write(random, 40, random.pick(Compression.values()));
    List<WalTesting.Read> all = readAll(dir);
    assertThat(Wal.segments(dir).size()).isGreaterThan(2);
    int victim = random.nextInt(1, all.size() - 1);
    WalTesting.Read hit = all.get(victim);
    WalTesting.flipByte(segment(dir, hit.segment()), hit.offset() + 3);

    WalCorruptionException e = readUntilCorrupt();
    assertThat(e.segment()).isEqualTo(hit.segment());
    assertThat(e.offset()).isEqualTo(hit.offset());
    WalRepair.repair(dir, e);

    assertThat(payloads(readAll(dir))).containsExactlyElementsOf(written.subList(0, victim));
    assertThat(Wal.segments(dir).getLast()).isEqualTo(hit.segment());
    assertThat(Files.size(segment(dir, hit.segment())) % PAGE_SIZE).isZero();

    byte[] later = {9, 9, 9};
    try (Wal wal = Wal.open(dir, SEGMENT, Compression.NONE)) {
      assertThat(wal.currentSegment()).isEqualTo(hit.segment() + 1);
      wal.log(later);
    }
    List<byte[]> expected = new ArrayList<>(written.subList(0, victim));
    expected.add(later);
    assertThat(payloads(readAll(dir))).containsExactlyElementsOf(expected);
  }

  @Test
  void cutsATornTail(SeededRandom random) throws IOException {
    List<byte[]> written = write(random, 12, Compression.NONE);
    WalTesting.Read last = readAll(dir).getLast();
    Path seg = segment(dir, last.segment());
    WalTesting.truncate(
        seg, last.offset() + 7 + random.nextInt(0, Math.max(1, last.bytes().length)));
    WalCorruptionException e = readUntilCorrupt();
    assertThat(e.offset()).isEqualTo(last.offset());
    WalRepair.repair(dir, e);
    assertThat(payloads(readAll(dir))).containsExactlyElementsOf(written.subList(0, 11));
  }

  @Test
  void aRecordTheCallerCannotDecodeIsCutWithWhatFollows() throws IOException {
    try (Wal wal = Wal.open(dir, SEGMENT, Compression.NONE)) {
      wal.log(List.of(new byte[] {1}, new byte[] {2, 0, 0}, new byte[] {3}));
    }
    WalTesting.Read bad = readAll(dir).get(1);
    WalRepair.repair(
        dir, new WalCorruptionException(dir, bad.segment(), bad.offset(), "series record cut"));
    assertThat(payloads(readAll(dir))).containsExactly(new byte[] {1});
  }

  @Test
  void aCorruptFirstRecordLeavesAnEmptyLog() throws IOException {
    try (Wal wal = Wal.open(dir, SEGMENT, Compression.NONE)) {
      wal.log(List.of(new byte[] {1}, new byte[] {2}));
      wal.nextSegment();
      wal.log(new byte[] {3});
    }
    WalTesting.flipByte(segment(dir, 0), 7);
    WalRepair.repair(dir, readUntilCorrupt());
    assertThat(readAll(dir)).isEmpty();
    assertThat(Wal.segments(dir)).containsExactly(0);
  }

  @Test
  void refusesACorruptionFoundElsewhere(@TempDir Path other) throws IOException {
    Files.createDirectories(dir);
    WalCorruptionException e = new WalCorruptionException(other, 0, 0, "x");
    assertThatThrownBy(() -> WalRepair.repair(dir, e))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(other.toString());
  }
}
