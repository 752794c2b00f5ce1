package io.meridian.tsdb.block;

import io.meridian.storage.Appender;
import io.meridian.storage.ChunkQuerier;
import io.meridian.storage.Querier;
import io.meridian.storage.ReferenceStorage;
import io.meridian.storage.Storage;
import io.meridian.storage.StorageContractTest;
import io.meridian.testing.ManualClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;

/**
 * The storage contract through a block: every querier writes what was committed into a new block on
 * disk with {@link BlockWriter} and reads it back with {@link Block}. So the whole round trip
 * (index, chunks, postings, matchers, chunk views) keeps the contract.
 */
class BlockContractTest extends StorageContractTest {
  @TempDir Path dir;

  @Override
  protected Storage newStorage() {
    return new BlockBackedStorage(dir);
  }

  private static final class BlockBackedStorage implements Storage {
    private final ReferenceStorage memory = new ReferenceStorage();
    private final Path dir;
    private final ManualClock clock = new ManualClock(1_700_000_000_000L);

    BlockBackedStorage(Path dir) {
      this.dir = dir;
    }

    @Override
    public Appender appender() {
      return memory.appender();
    }

    private Block cutBlock() throws IOException {
      Path parent = Files.createTempDirectory(dir, "blocks");
      BlockMeta meta;
      try (ChunkQuerier all = memory.chunkQuerier(Long.MIN_VALUE, Long.MAX_VALUE)) {
        meta =
            new BlockWriter(parent, clock)
                .write(all, Long.MIN_VALUE / 2, Long.MAX_VALUE / 2, 1, List.of());
      }
      if (meta == null) {
        return null;
      }
      return Block.open(parent.resolve(meta.ulid().value()));
    }

    @Override
    public Querier querier(long mint, long maxt) throws IOException {
      Block b = cutBlock();
      if (b == null) {
        return memory.querier(mint, maxt); // nothing committed: an empty store answers
      }
      Querier q = b.querier(mint, maxt);
      b.close(); // released when the querier closes
      return q;
    }

    @Override
    public ChunkQuerier chunkQuerier(long mint, long maxt) throws IOException {
      Block b = cutBlock();
      if (b == null) {
        return memory.chunkQuerier(mint, maxt);
      }
      ChunkQuerier q = b.chunkQuerier(mint, maxt);
      b.close();
      return q;
    }

    @Override
    public void close() {
      memory.close();
    }
  }
}
