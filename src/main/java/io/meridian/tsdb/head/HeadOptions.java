package io.meridian.tsdb.head;

/**
 * How the head behaves.
 *
 * @param chunkRange the block duration in ms (2h by default): chunks are cut at its boundaries, so
 *     a block never splits a chunk
 * @param samplesPerChunk the sample count at which a chunk is cut (Prometheus: 120)
 * @param outOfOrderWindow how far behind a series' newest sample a late sample may still be
 *     accepted, ms; 0 turns out-of-order ingestion off (Prometheus's default)
 * @param limitAppendLag whether samples more than half a chunk range behind the head's newest are
 *     out of bounds (Prometheus's rule for live ingestion); backfill turns it off
 * @param maxSeries the most series the head creates for appenders (WAL replay is not limited); a
 *     sample of a new series beyond it is refused, so a cardinality explosion is stopped at the
 *     door instead of exhausting the heap; 0 is no limit
 */
public record HeadOptions(
    long chunkRange,
    int samplesPerChunk,
    long outOfOrderWindow,
    boolean limitAppendLag,
    long maxSeries) {
  public static final long DEFAULT_CHUNK_RANGE = 2 * 3_600_000L;

  public HeadOptions {
    if (chunkRange <= 0 || samplesPerChunk < 2 || outOfOrderWindow < 0 || maxSeries < 0) {
      throw new IllegalArgumentException(
          "invalid head options: chunkRange="
              + chunkRange
              + " samplesPerChunk="
              + samplesPerChunk
              + " outOfOrderWindow="
              + outOfOrderWindow
              + " maxSeries="
              + maxSeries);
    }
  }

  /** Prometheus's defaults: 2h chunk range, 120 samples a chunk, no out-of-order window. */
  public static HeadOptions defaults() {
    return new HeadOptions(DEFAULT_CHUNK_RANGE, 120, 0, true, 0);
  }
}
