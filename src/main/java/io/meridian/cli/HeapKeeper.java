package io.meridian.cli;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the serial collector's old generation near what is live.
 *
 * <p>Why: the serial collector (the launcher's choice: least CPU on small machines) expands its old
 * generation instead of collecting it for as long as the heap's maximum allows, and only a full
 * collection gives memory back. Promotions of medium-lived garbage (chunk buffers outgrown, series
 * that churned away) then grew a scraping server's resident memory by ~10 MiB a minute until a
 * quarter of the machine's RAM. Checked every half minute; a full collection runs when the old
 * generation has grown a quarter (and at least 16 MiB) past what the last one left, which at 100k
 * series costs ~0.2 s of CPU every few minutes. Other collectors manage this themselves: no keeper.
 */
final class HeapKeeper {
  private static final Logger log = LoggerFactory.getLogger(HeapKeeper.class);

  private final MemoryPoolMXBean oldGen;

  private HeapKeeper(MemoryPoolMXBean oldGen) {
    this.oldGen = oldGen;
  }

  /** A keeper when this JVM runs the serial collector, else empty. */
  private static Optional<HeapKeeper> forSerialCollector() {
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP && pool.getName().equals("Tenured Gen")) {
        return Optional.of(new HeapKeeper(pool));
      }
    }
    return Optional.empty();
  }

  /**
   * Checks every half minute on a daemon thread, while the returned handle is open; nothing runs
   * under other collectors. One per JVM, however many roles it runs.
   */
  static Running start() {
    Optional<HeapKeeper> keeper = forSerialCollector();
    if (keeper.isEmpty()) {
      return () -> {};
    }
    ScheduledExecutorService timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().name("heap-keeper").daemon().unstarted(r));
    var _ = timer.scheduleWithFixedDelay(keeper.get()::check, 30, 30, TimeUnit.SECONDS);
    return timer::shutdownNow;
  }

  /** The running keeper; closing it stops the checks. */
  interface Running extends AutoCloseable {
    @Override
    void close();
  }

  /** Collects fully if the old generation has grown enough since the last full collection. */
  void check() {
    long used = oldGen.getUsage().getUsed();
    long afterLast = oldGen.getCollectionUsage().getUsed();
    if (shouldCollect(used, afterLast)) {
      log.debug(
          "old generation at {} MiB, {} MiB after its last full collection: collecting",
          used >> 20,
          afterLast >> 20);
      System.gc();
    }
  }

  /**
   * Whether {@code used} bytes in the old generation call for a full collection, given what the
   * last one left ({@code 0} when none ran yet: then a first one sets the baseline once the
   * generation holds 64 MiB).
   */
  static boolean shouldCollect(long used, long afterLast) {
    long base = Math.max(afterLast, 48L << 20);
    return used > base + Math.max(base / 4, 16L << 20);
  }
}
