package io.meridian.tsdb.chunk;

/**
 * Where a chunk lives and what time it covers: what the index stores for each chunk of a series.
 *
 * @param ref {@code segment sequence << 32 | offset} in the block's {@code chunks/} files
 * @param minTime timestamp of the chunk's first sample
 * @param maxTime timestamp of its last sample
 */
public record ChunkMeta(long ref, long minTime, long maxTime) {
  public ChunkMeta {
    if (minTime > maxTime) {
      throw new IllegalArgumentException("chunk minTime " + minTime + " > maxTime " + maxTime);
    }
  }

  /** Whether the chunk overlaps {@code [mint, maxt]}. */
  public boolean overlaps(long mint, long maxt) {
    return minTime <= maxt && maxTime >= mint;
  }
}
