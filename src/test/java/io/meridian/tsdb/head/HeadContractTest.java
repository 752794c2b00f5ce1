package io.meridian.tsdb.head;

import io.meridian.storage.Appender;
import io.meridian.storage.ChunkQuerier;
import io.meridian.storage.Querier;
import io.meridian.storage.Storage;
import io.meridian.storage.StorageContractTest;

/** The head, in memory without a journal, keeps the storage contract. */
class HeadContractTest extends StorageContractTest {
  @Override
  protected Storage newStorage() {
    Head head = new Head(HeadOptions.defaults(), Journal.NONE);
    return new Storage() {
      @Override
      public Appender appender() {
        return head.appender();
      }

      @Override
      public Querier querier(long mint, long maxt) {
        return head.querier(mint, maxt);
      }

      @Override
      public ChunkQuerier chunkQuerier(long mint, long maxt) {
        return head.chunkQuerier(mint, maxt);
      }

      @Override
      public void close() {}
    };
  }
}
