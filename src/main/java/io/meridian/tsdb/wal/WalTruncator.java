package io.meridian.tsdb.wal;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntSupplier;
import java.util.function.LongPredicate;

/**
 * Replaces a WAL's older segments with a checkpoint, keeping what its readers still need: segments
 * a reader holds (a remote write queue that has not sent them) stay, and series the store dropped
 * keep their series records in checkpoints while a held segment may still name them, or a reader
 * could not resolve those samples' refs. Shared by the TSDB and the agent's WAL-only store.
 */
public final class WalTruncator {
  /** A reader's claim on WAL segments; closing it lets them go. */
  public interface Hold extends AutoCloseable {
    @Override
    void close();
  }

  private final Wal wal;
  private final Compression compression;
  private final List<IntSupplier> holds = new CopyOnWriteArrayList<>();
  private final Map<Long, Integer> removedSeries = new ConcurrentHashMap<>();

  public WalTruncator(Wal wal, Compression compression) {
    this.wal = wal;
    this.compression = compression;
  }

  /**
   * Keeps the segments from {@code lowestNeeded} on (asked at every truncation) out of checkpoints
   * until the reader moves past them. The reader bounds how far back it holds.
   */
  public Hold hold(IntSupplier lowestNeeded) {
    holds.add(lowestNeeded);
    return () -> holds.remove(lowestNeeded);
  }

  /** The store dropped these series: samples naming them may sit in segments up to the current. */
  public void seriesRemoved(Set<Long> refs) {
    int segment = wal.currentSegment();
    refs.forEach(ref -> removedSeries.put(ref, segment));
  }

  /**
   * Checkpoints closed segments up to {@code share} of them (older ones hold mostly obsolete
   * samples) and below every hold, keeping series {@code live} accepts and samples from {@code
   * mint} on, then deletes what the checkpoint replaced.
   *
   * @param share the fraction of the closed segments to checkpoint, in (0, 1]
   */
  public void truncate(LongPredicate live, long mint, double share) throws IOException {
    wal.awaitSegmentsClosed(); // the checkpoint reads them
    List<Integer> segs = Wal.segments(wal.dir());
    if (segs.size() < 2) {
      return;
    }
    int first = segs.getFirst();
    int last = segs.get(segs.size() - 2); // never the segment being written
    last = first + (int) ((last - first) * share);
    for (IntSupplier hold : holds) {
      last = Math.min(last, hold.getAsInt() - 1);
    }
    if (last < first) {
      return;
    }
    Checkpoint.create(
        wal.dir(),
        first,
        last,
        ref -> live.test(ref) || removedSeries.containsKey(ref),
        mint,
        compression);
    Wal.deleteSegmentsBefore(wal.dir(), last + 1);
    Checkpoint.deleteOlderThan(wal.dir(), last);
    int covered = last;
    removedSeries.values().removeIf(seg -> seg <= covered);
  }
}
