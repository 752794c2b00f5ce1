package io.meridian.storage;

/**
 * The samples of a series' non-overlapping chunks, in order, limited to {@code [mint, maxt]}: how a
 * chunk-level store serves the sample-level view. Seeking skips whole chunks by their time range
 * without decoding them. Reusable through {@link #reset}.
 */
public final class ChunkSampleIterator implements SampleIterator {
  private ChunkIterator chunks;
  private long mint;
  private long maxt;
  private SampleIterator current;
  private SampleIterator spare;
  private boolean exhausted;

  /** Starts over on {@code chunks}, keeping decoders for reuse. */
  public ChunkSampleIterator reset(ChunkIterator chunks, long mint, long maxt) {
    this.chunks = chunks;
    this.mint = mint;
    this.maxt = maxt;
    if (current != null) {
      spare = current;
    }
    this.current = null;
    this.exhausted = false;
    return this;
  }

  @Override
  public boolean next() {
    if (exhausted) {
      return false;
    }
    while (true) {
      if (current == null && !nextChunk(mint)) {
        return false;
      }
      if (current.next()) {
        long t = current.t();
        if (t > maxt) {
          return finish();
        }
        if (t >= mint) {
          return true;
        }
        if (current.seek(mint)) {
          return current.t() <= maxt || finish();
        }
      }
      spare = current;
      current = null;
    }
  }

  @Override
  public boolean seek(long t) {
    if (exhausted) {
      return false;
    }
    long target = Math.max(t, mint);
    if (current != null && current.seek(target)) {
      return current.t() <= maxt || finish();
    }
    if (current != null) {
      spare = current;
      current = null;
    }
    while (nextChunk(target)) {
      if (current.seek(target)) {
        return current.t() <= maxt || finish();
      }
      spare = current;
      current = null;
    }
    return false;
  }

  /** Moves to the next chunk that ends at or after {@code from}; false when none is left. */
  private boolean nextChunk(long from) {
    while (chunks.next()) {
      if (chunks.minTime() > maxt) {
        return finish();
      }
      if (chunks.maxTime() >= from) {
        current = chunks.chunk().iterator(spare);
        spare = null;
        return true;
      }
    }
    return finish();
  }

  private boolean finish() {
    exhausted = true;
    return false;
  }

  @Override
  public long t() {
    return current.t();
  }

  @Override
  public double v() {
    return current.v();
  }
}
