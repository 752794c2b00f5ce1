package io.meridian.remote;

import io.meridian.storage.Chunk;
import io.meridian.storage.ChunkIterator;

/** Chunks held in an array with their time ranges, in order. */
final class ListChunkIterator implements ChunkIterator {
  private final Chunk[] chunks;
  private final long[] minTimes;
  private final long[] maxTimes;
  private int i = -1;

  ListChunkIterator(Chunk[] chunks, long[] minTimes, long[] maxTimes) {
    this.chunks = chunks;
    this.minTimes = minTimes;
    this.maxTimes = maxTimes;
  }

  @Override
  public boolean next() {
    if (i < chunks.length) {
      i++;
    }
    return i < chunks.length;
  }

  @Override
  public long minTime() {
    return minTimes[i];
  }

  @Override
  public long maxTime() {
    return maxTimes[i];
  }

  @Override
  public Chunk chunk() {
    return chunks[i];
  }
}
