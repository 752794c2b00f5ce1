package io.meridian.tsdb.chunk;

import java.util.Arrays;

/**
 * Appends bits most-significant first into a growing byte array, as Prometheus's {@code bstream}
 * does. The first {@code headerBytes} bytes are left for the caller.
 */
final class BitWriter {
  private byte[] buf;
  private int bitLen;

  BitWriter(int headerBytes, int initialCapacity) {
    this.buf = new byte[Math.max(initialCapacity, headerBytes + 1)];
    this.bitLen = headerBytes * 8;
  }

  void writeBit(boolean bit) {
    ensure(1);
    if (bit) {
      buf[bitLen >>> 3] |= (byte) (0x80 >>> (bitLen & 7));
    }
    bitLen++;
  }

  /** Writes the low {@code n} bits of {@code u}, 1 <= n <= 64. */
  void writeBits(long u, int n) {
    ensure(n);
    while (n > 0) {
      int free = 8 - (bitLen & 7);
      int take = Math.min(free, n);
      int bits = (int) (u >>> (n - take)) & ((1 << take) - 1);
      buf[bitLen >>> 3] |= (byte) (bits << (free - take));
      bitLen += take;
      n -= take;
    }
  }

  void writeByte(int b) {
    writeBits(b & 0xff, 8);
  }

  /** Bytes in use: the header and every byte a bit has been written to. */
  int byteLength() {
    return (bitLen + 7) >>> 3;
  }

  /** The backing array; valid up to {@link #byteLength()} until the next write. */
  byte[] array() {
    return buf;
  }

  private void ensure(int bits) {
    int need = (bitLen + bits + 7) >>> 3;
    if (need > buf.length) {
      // Grow by half: a full 120-sample chunk is ~150-200 bytes; doubling would waste a third.
      buf = Arrays.copyOf(buf, Math.max(need, buf.length + (buf.length >> 1)));
    }
  }
}
