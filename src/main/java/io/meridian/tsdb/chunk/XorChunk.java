package io.meridian.tsdb.chunk;

import io.meridian.storage.Chunk;
import io.meridian.storage.ChunkEncoding;
import io.meridian.storage.SampleIterator;
import java.nio.ByteBuffer;

/**
 * An immutable XOR chunk: Prometheus's float chunk encoding ({@code chunkenc/xor.go}, described in
 * {@code ../shared/specs/tsdb-format/chunks.md}).
 *
 * <pre>
 * ┌──────────────────────┬──────────────────────────────────────────────────────┐
 * │ num samples uint16 BE│ bit stream: t0 varint, v0 64 bits, Δt1 uvarint,       │
 * │                      │ xor(v1), then per sample: dod bucket + bits, xor(v)  │
 * └──────────────────────┴──────────────────────────────────────────────────────┘
 * </pre>
 */
public final class XorChunk implements Chunk {
  /** Bytes of the sample count header. */
  public static final int HEADER_BYTES = 2;

  /** The most samples the 16-bit count allows. */
  public static final int MAX_SAMPLES = 0xffff;

  private final ByteBuffer bytes;

  /**
   * Wraps encoded bytes (header included) from position to limit; the buffer is not copied and must
   * not change while the chunk is in use.
   */
  public XorChunk(ByteBuffer bytes) {
    if (bytes.remaining() < HEADER_BYTES) {
      throw new IllegalArgumentException(
          "XOR chunk needs at least " + HEADER_BYTES + " bytes, got " + bytes.remaining());
    }
    this.bytes = bytes.slice().asReadOnlyBuffer();
  }

  @Override
  public ChunkEncoding encoding() {
    return ChunkEncoding.XOR;
  }

  @Override
  public int numSamples() {
    return ((bytes.get(0) & 0xff) << 8) | (bytes.get(1) & 0xff);
  }

  @Override
  public ByteBuffer bytes() {
    return bytes.duplicate();
  }

  @Override
  public SampleIterator iterator(SampleIterator reuse) {
    XorIterator it = reuse instanceof XorIterator x ? x : new XorIterator();
    it.reset(bytes, numSamples());
    return it;
  }
}
