package io.meridian.tsdb.chunk;

import java.nio.ByteBuffer;

/**
 * Reads bits most-significant first from a buffer by absolute index, through a 64-bit register
 * refilled eight bytes at a time, so most reads are a shift and a mask. Allocation-free.
 */
final class BitReader {
  private ByteBuffer buf;
  private int pos; // next byte to load
  private int end;
  private long register; // unread bits, left-aligned
  private int valid; // how many bits of register are unread

  /** Starts reading {@code buf} at byte {@code offset} from its position. */
  void reset(ByteBuffer buf, int offset) {
    this.buf = buf;
    this.pos = buf.position() + offset;
    this.end = buf.limit();
    this.register = 0;
    this.valid = 0;
  }

  /** Loads bytes into the empty low end of the register; false when none are left. */
  private boolean refill() {
    if (pos >= end) {
      return false;
    }
    if (valid == 0 && end - pos >= 8) {
      register = buf.getLong(pos);
      pos += 8;
      valid = 64;
      return true;
    }
    while (valid <= 56 && pos < end) {
      register |= (long) (buf.get(pos++) & 0xff) << (56 - valid);
      valid += 8;
    }
    return true;
  }

  boolean readBit() throws EndOfChunkException {
    if (valid == 0 && !refill()) {
      throw new EndOfChunkException();
    }
    boolean bit = register < 0;
    register <<= 1;
    valid--;
    return bit;
  }

  /** Reads {@code n} bits, 1 <= n <= 64, as the low bits of the result. */
  long readBits(int n) throws EndOfChunkException {
    if (n <= valid) {
      long r = register >>> (64 - n);
      register = n == 64 ? 0 : register << n;
      valid -= n;
      return r;
    }
    int have = valid;
    long r = have == 0 ? 0 : register >>> (64 - have);
    int rest = n - have;
    register = 0;
    valid = 0;
    if (!refill() || valid < rest) {
      throw new EndOfChunkException();
    }
    r = (r << rest) | (register >>> (64 - rest));
    register = rest == 64 ? 0 : register << rest;
    valid -= rest;
    return r;
  }

  /**
   * Reads a run of up to {@code max} one-bits and the zero-bit that ends it (none when the run
   * reaches {@code max}): the prefix codes of XOR chunks, read in one step when the register holds
   * enough bits.
   */
  int readOnes(int max) throws EndOfChunkException {
    if (valid > max) {
      int ones = Math.min(Long.numberOfLeadingZeros(~register), max);
      int used = ones == max ? max : ones + 1;
      register <<= used;
      valid -= used;
      return ones;
    }
    int ones = 0;
    while (ones < max && readBit()) {
      ones++;
    }
    return ones;
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
