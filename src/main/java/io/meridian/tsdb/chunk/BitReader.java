package io.meridian.tsdb.chunk;

import java.nio.ByteBuffer;

/** Reads bits most-significant first from a buffer by absolute index, without allocating. */
final class BitReader {
  private ByteBuffer buf;
  private int base;
  private long limitBits;
  private long pos;

  /** Starts reading {@code buf} at byte {@code offset} from its position. */
  void reset(ByteBuffer buf, int offset) {
    this.buf = buf;
    this.base = buf.position();
    this.limitBits = (long) buf.remaining() * 8;
    this.pos = (long) offset * 8;
  }

  boolean readBit() throws EndOfChunkException {
    if (pos >= limitBits) {
      throw new EndOfChunkException();
    }
    int b = buf.get(base + (int) (pos >>> 3));
    boolean bit = ((b << (pos & 7)) & 0x80) != 0;
    pos++;
    return bit;
  }

  /** Reads {@code n} bits, 1 <= n <= 64, as the low bits of the result. */
  long readBits(int n) throws EndOfChunkException {
    if (pos + n > limitBits) {
      throw new EndOfChunkException();
    }
    long r = 0;
    while (n > 0) {
      int b = buf.get(base + (int) (pos >>> 3)) & 0xff;
      int avail = 8 - (int) (pos & 7);
      int take = Math.min(avail, n);
      int bits = (b >>> (avail - take)) & ((1 << take) - 1);
      r = (r << take) | bits;
      pos += take;
      n -= take;
    }
    return r;
  }

  int readByte() throws EndOfChunkException {
    return (int) readBits(8);
  }

  /** Thrown when a chunk's bits end before its sample count says (corrupt data); stackless. */
  static final class EndOfChunkException extends Exception {
    private static final long serialVersionUID = 1L;

    EndOfChunkException() {
      super("chunk data ends before its last sample", null, false, false);
    }
  }
}
