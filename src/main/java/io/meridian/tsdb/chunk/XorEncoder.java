package io.meridian.tsdb.chunk;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Builds an XOR chunk sample by sample, in Prometheus's encoding (see {@link XorChunk}): the first
 * timestamp as a signed varint and the first value raw, the second timestamp as an unsigned varint
 * delta, then delta-of-delta timestamps in 1, 14, 17, 20 or 64-bit buckets and values XORed with
 * their predecessor, reusing the previous leading/trailing zero window when the new one fits.
 *
 * <p>Timestamps must increase strictly; the caller (the head) enforces it. Not thread-safe.
 */
public final class XorEncoder {
  private final BitWriter out = new BitWriter(XorChunk.HEADER_BYTES, 48);
  private int numSamples;
  private long t;
  private long tDelta;
  private long vBits;
  private int leading = 0xff; // 0xff: no window yet
  private int trailing;

  /** Appends one sample. */
  public void append(long ts, double v) {
    if (numSamples == XorChunk.MAX_SAMPLES) {
      throw new IllegalStateException("an XOR chunk holds at most " + XorChunk.MAX_SAMPLES);
    }
    long bits = Double.doubleToRawLongBits(v);
    switch (numSamples) {
      case 0 -> {
        writeUvarint((ts << 1) ^ (ts >> 63));
        out.writeBits(bits, 64);
      }
      case 1 -> {
        tDelta = ts - t;
        writeUvarint(tDelta);
        writeValue(bits);
      }
      default -> {
        long delta = ts - t;
        long dod = delta - tDelta;
        tDelta = delta;
        writeDeltaOfDelta(dod);
        writeValue(bits);
      }
    }
    t = ts;
    vBits = bits;
    numSamples++;
  }

  /** Samples appended so far. */
  public int numSamples() {
    return numSamples;
  }

  /** Bytes the chunk takes so far, header included. */
  public int byteLength() {
    return out.byteLength();
  }

  /** A copy of the chunk as it stands. */
  public XorChunk toChunk() {
    byte[] b = Arrays.copyOf(out.array(), out.byteLength());
    b[0] = (byte) (numSamples >>> 8);
    b[1] = (byte) numSamples;
    return new XorChunk(ByteBuffer.wrap(b).asReadOnlyBuffer());
  }

  private void writeDeltaOfDelta(long dod) {
    if (dod == 0) {
      out.writeBit(false);
    } else if (fits(dod, 14)) {
      out.writeBits(0b10, 2);
      out.writeBits(dod, 14);
    } else if (fits(dod, 17)) {
      out.writeBits(0b110, 3);
      out.writeBits(dod, 17);
    } else if (fits(dod, 20)) {
      out.writeBits(0b1110, 4);
      out.writeBits(dod, 20);
    } else {
      out.writeBits(0b1111, 4);
      out.writeBits(dod, 64);
    }
  }

  /** Prometheus's bucket test: {@code -(2^(n-1) - 1) <= x <= 2^(n-1)}. */
  static boolean fits(long x, int n) {
    return -((1L << (n - 1)) - 1) <= x && x <= 1L << (n - 1);
  }

  private void writeValue(long bits) {
    long delta = bits ^ vBits;
    if (delta == 0) {
      out.writeBit(false);
      return;
    }
    out.writeBit(true);
    int lead = Math.min(Long.numberOfLeadingZeros(delta), 31); // 5 bits hold at most 31
    int trail = Long.numberOfTrailingZeros(delta);
    if (leading != 0xff && lead >= leading && trail >= trailing) {
      out.writeBit(false);
      out.writeBits(delta >>> trailing, 64 - leading - trailing);
      return;
    }
    leading = lead;
    trailing = trail;
    out.writeBit(true);
    out.writeBits(lead, 5);
    int sig = 64 - lead - trail;
    out.writeBits(sig, 6); // 64 wraps to 0; the reader maps it back
    out.writeBits(delta >>> trail, sig);
  }

  private void writeUvarint(long x) {
    while (Long.compareUnsigned(x, 0x80) >= 0) {
      out.writeByte((int) (x & 0x7f) | 0x80);
      x >>>= 7;
    }
    out.writeByte((int) x);
  }
}
