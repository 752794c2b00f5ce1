package io.meridian.storage;

/**
 * A forward-only cursor over one series' chunks, ordered by {@link #minTime()}. Chunks of one store
 * do not overlap; chunks of a merge of several stores may, and readers must then merge samples. Not
 * thread-safe.
 */
public interface ChunkIterator {

  /** Moves to the next chunk; false when there are no more. */
  boolean next();

  /** Timestamp of the current chunk's first sample. */
  long minTime();

  /** Timestamp of the current chunk's last sample. */
  long maxTime();

  /** The current chunk; valid until {@link #next()} is called again. */
  Chunk chunk();
}
