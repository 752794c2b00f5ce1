package io.meridian.storage;

import java.nio.ByteBuffer;

/**
 * An encoded run of one series' samples. A chunk handed out by a querier is immutable while the
 * querier is open (a head's open chunk is handed out as a copy or a frozen prefix).
 */
public interface Chunk {

  /** How the bytes are encoded. */
  ChunkEncoding encoding();

  /** Number of samples in the chunk. */
  int numSamples();

  /**
   * The encoded bytes, exactly as the TSDB chunk format stores them after the encoding byte: a
   * read-only buffer from position to limit, valid while the querier that returned the chunk is
   * open. Copy it to keep it longer.
   */
  ByteBuffer bytes();

  /** Decodes the samples; {@code reuse} as in {@link Series#iterator}. */
  SampleIterator iterator(SampleIterator reuse);
}
