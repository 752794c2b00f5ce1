package io.meridian.storage;

import java.io.IOException;

/**
 * A store that hands out its series as encoded chunks: what remote read's streamed responses and
 * compaction copy without decoding.
 */
public interface ChunkQueryable {

  /**
   * Opens a chunk querier over chunks that overlap {@code [mint, maxt]}; same visibility rules as
   * {@link Queryable#querier}. The caller closes it.
   *
   * @throws IOException if the store cannot be read
   */
  ChunkQuerier chunkQuerier(long mint, long maxt) throws IOException;
}
