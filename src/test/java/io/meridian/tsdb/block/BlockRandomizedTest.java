package io.meridian.tsdb.block;

import io.meridian.storage.ChunkQuerier;
import io.meridian.storage.RandomizedQueries;
import io.meridian.storage.ReferenceStorage;
import io.meridian.testing.ManualClock;
import io.meridian.testing.SeededRandom;
import io.meridian.testing.SeededRandomExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(SeededRandomExtension.class)
class BlockRandomizedTest {
  @TempDir Path dir;

  @Test
  void answersLikeTheModel(SeededRandom random) throws Exception {
    for (int round = 0; round < 10; round++) {
      ReferenceStorage source = new ReferenceStorage();
      ReferenceStorage model = new ReferenceStorage();
      RandomizedQueries.fill(random, source, model);
      Path parent = Files.createTempDirectory(dir, "r");
      BlockMeta meta;
      try (ChunkQuerier all = source.chunkQuerier(Long.MIN_VALUE, Long.MAX_VALUE)) {
        meta = new BlockWriter(parent, new ManualClock(0)).write(all, 0, 10_000_000, 1, List.of());
      }
      try (Block block = Block.open(parent.resolve(meta.ulid().value()))) {
        RandomizedQueries.compare(random, block, model, 30);
      }
    }
  }
}
