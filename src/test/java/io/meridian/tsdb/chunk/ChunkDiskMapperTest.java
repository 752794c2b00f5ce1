package io.meridian.tsdb.chunk;

import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.storage.Chunk;
import io.meridian.storage.SampleIterator;
import io.meridian.testing.ManualClock;
import io.meridian.testing.SeededRandom;
import io.meridian.testing.SeededRandomExtension;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(SeededRandomExtension.class)
class ChunkDiskMapperTest {
  @TempDir Path dir;

  /**
   * Every chunk reads back, right after it was written or later, also the ones the write buffer
   * split: their start already in the file, their end still in the buffer.
   */
  @Test
  void chunksReadBackAtOnceWhateverTheBufferHolds(SeededRandom random) throws Exception {
    try (ChunkDiskMapper m =
        ChunkDiskMapper.open(dir, ChunkDiskMapper.DEFAULT_MAX_FILE_SIZE, new ManualClock(0))) {
      List<Long> refs = new ArrayList<>();
      List<XorChunk> chunks = new ArrayList<>();
      for (int c = 0; c < 2000; c++) {
        XorEncoder e = new XorEncoder();
        long t = c * 1_000_000L;
        double v = random.nextInt(1000);
        for (int i = 0; i < 120; i++) {
          t += 15_000 + random.nextInt(50);
          v += random.nextInt(100) / 7.0; // values that need many bits: chunks of ~1 KiB
          e.append(t, v);
        }
        XorChunk chunk = e.toChunk();
        long ref = m.write(c, c * 1_000_000L, t, chunk);
        refs.add(ref);
        chunks.add(chunk);
        if (c == 499) { // the first 500, written without reads in between, read back in order
          for (int k = 0; k <= c; k++) {
            assertSame(chunks.get(k), m.chunk(refs.get(k)));
          }
        }
        if (c >= 500) {
          assertSame(chunk, m.chunk(ref)); // read at once, before anything else is written
        }
      }
      for (int c = 0; c < refs.size(); c++) {
        assertSame(chunks.get(c), m.chunk(refs.get(c)));
      }
    }
  }

  private static void assertSame(Chunk want, Chunk got) {
    SampleIterator a = want.iterator(null);
    SampleIterator b = got.iterator(null);
    while (a.next()) {
      assertThat(b.next()).isTrue();
      assertThat(b.t()).isEqualTo(a.t());
      assertThat(Double.doubleToRawLongBits(b.v())).isEqualTo(Double.doubleToRawLongBits(a.v()));
    }
    assertThat(b.next()).isFalse();
  }
}
