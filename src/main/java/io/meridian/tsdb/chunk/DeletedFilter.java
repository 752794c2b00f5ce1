package io.meridian.tsdb.chunk;

import io.meridian.storage.Chunk;
import io.meridian.storage.ChunkIterator;
import io.meridian.storage.SampleIterator;

/**
 * A series' chunks with its deleted ranges taken out: chunks wholly deleted are skipped, chunks
 * partly deleted are re-encoded without those samples, the rest pass through as stored. Only series
 * with tombstones pay for this.
 */
public final class DeletedFilter implements ChunkIterator {
  private final ChunkIterator in;
  private final Intervals deleted;
  private Chunk chunk;
  private long min;
  private long max;

  private DeletedFilter(ChunkIterator in, Intervals deleted) {
    this.in = in;
    this.deleted = deleted;
  }

  /** {@code in} itself when nothing is deleted. */
  public static ChunkIterator of(ChunkIterator in, Intervals deleted) {
    return deleted.isEmpty() ? in : new DeletedFilter(in, deleted);
  }

  @Override
  public boolean next() {
    while (in.next()) {
      min = in.minTime();
      max = in.maxTime();
      if (deleted.covers(min, max)) {
        continue;
      }
      chunk = in.chunk();
      if (!deleted.overlaps(min, max) || reencode()) {
        return true;
      }
    }
    return false;
  }

  /** Re-encodes the current chunk without deleted samples; false if none remain. */
  private boolean reencode() {
    XorEncoder e = new XorEncoder();
    SampleIterator it = chunk.iterator(null);
    while (it.next()) {
      long t = it.t();
      if (!deleted.contains(t)) {
        if (e.numSamples() == 0) {
          min = t;
        }
        max = t;
        e.append(t, it.v());
      }
    }
    chunk = e.toChunk();
    return e.numSamples() > 0;
  }

  @Override
  public long minTime() {
    return min;
  }

  @Override
  public long maxTime() {
    return max;
  }

  @Override
  public Chunk chunk() {
    return chunk;
  }
}
