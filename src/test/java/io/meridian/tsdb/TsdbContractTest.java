package io.meridian.tsdb;

import io.meridian.storage.Storage;
import io.meridian.storage.StorageContractTest;
import io.meridian.testing.ManualClock;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The whole TSDB (head with WAL, blocks) keeps the storage contract. */
class TsdbContractTest extends StorageContractTest {
  @TempDir Path dir;

  @Override
  protected Storage newStorage() throws IOException {
    return Tsdb.open(dir, TsdbOptions.defaults(), new ManualClock(0));
  }
}
