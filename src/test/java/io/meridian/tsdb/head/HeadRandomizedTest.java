package io.meridian.tsdb.head;

import io.meridian.storage.RandomizedQueries;
import io.meridian.storage.ReferenceStorage;
import io.meridian.testing.SeededRandom;
import io.meridian.testing.SeededRandomExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(SeededRandomExtension.class)
class HeadRandomizedTest {
  @Test
  void answersLikeTheModel(SeededRandom random) throws Exception {
    for (int round = 0; round < 20; round++) {
      Head head = new Head(new HeadOptions(600_000, 120, 0, true, 0), Journal.NONE);
      ReferenceStorage model = new ReferenceStorage();
      RandomizedQueries.fill(random, head, model);
      RandomizedQueries.compare(random, head, model, 30);
    }
  }
}
