package io.meridian.tsdb.chunk;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Builds an XOR chunk sample by sample, in Prometheus's encoding (see {@link XorChunk}): the first
 * timestamp as a signed varint and the first value raw, the second timestamp as an unsigned varint
 * delta, then delta-of-delta timestamps in 1, 14, 17, 20 or 64-bit buckets and values XORed with
 * their predecessor, reusing the previous leading/trailing zero window when the new one fits.
 *
 * <p>Timestamps must increase strictly; the caller (the head) enforces it. Not thread-safe.
 *
 * <p>Not final: the head's series extends it, so a series' open chunk lives inside the series
 * object, one object and one pointer hop less per appended sample.
 */
public class XorEncoder {
  private static final VarHandle WORDS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
  private static final int SEGMENT_0 = 48;
  private static final int SEGMENT_1 = 80;
  private static final int SEGMENT_2 = 128;
  private static final int SEGMENT_N = 256;

  // The bit stream is kept here rather than in a writer object: one object less per open chunk,
  // and the head holds one open chunk per series. It is stored in segments of 48, 80, 128, then
  // 256 bytes that are added, never copied: a buffer grown by copies left its outgrown arrays as
  // garbage that had already been promoted (a series outlives young collections), the head's
  // largest source of old-generation growth and so of full collections. The chunk header is not
  // stored; toChunk() writes it. Words are stored at multiples of 8, and every segment's length is
  // one, so a word never straddles two segments.
  private byte[] seg = new byte[SEGMENT_0]; // the segment being written
  private byte[][] segs; // all segments, once there is more than one
  private int pos; // bytes of the stream stored in segments
  private short segIndex; // which segment seg is (a 65,535-sample chunk takes at most ~4,700)
  // Bits not yet written, right-aligned; bits above the lowest accBits are leftovers and ignored.
  // They go to the segments 64 at a time, one store instead of a loop per byte.
  private long acc;
  private byte accBits; // how many, at most 63 between calls
  private int numSamples;
  private long t = Long.MIN_VALUE; // the newest sample's time, kept across reset()
  private long tDelta;
  private long vBits;
  // The value window; bytes, as the head holds an encoder per series. leading < 0: none yet.
  private byte leading = -1;
  private byte trailing;

  /** Appends one sample. */
  public final void append(long ts, double v) {
    if (numSamples == XorChunk.MAX_SAMPLES) {
      throw new IllegalStateException("an XOR chunk holds at most " + XorChunk.MAX_SAMPLES);
    }
    long bits = Double.doubleToRawLongBits(v);
    switch (numSamples) {
      case 0 -> {
        writeUvarint((ts << 1) ^ (ts >> 63));
        writeBits(bits, 64);
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
        if (dod == 0 && bits == vBits) {
          writeBits(0, 2); // the common case of a steady series: two zero bits at once
        } else {
          writeDeltaOfDelta(dod);
          writeValue(bits);
        }
      }
    }
    t = ts;
    vBits = bits;
    numSamples++;
  }

  /**
   * Starts a new, empty chunk in the same segments. They are kept because the next chunk of a
   * series is about as long as this one, and fresh ones would be promoted garbage at the next cut.
   * The newest sample's time and value bits stay readable: a series in the head uses them as its
   * newest sample, so it need not keep a copy.
   */
  public void reset() {
    if (segs != null) {
      seg = segs[0];
    }
    segIndex = 0;
    pos = 0;
    acc = 0;
    accBits = 0;
    numSamples = 0;
    tDelta = 0;
    leading = -1;
    trailing = 0;
  }

  /** Time of the newest sample appended, also after {@link #reset}; Long.MIN_VALUE before any. */
  public final long lastTimestamp() {
    return t;
  }

  /** Raw bits of the newest sample's value, also after {@link #reset}. */
  public final long lastValueBits() {
    return vBits;
  }

  /** Samples appended so far. */
  public int numSamples() {
    return numSamples;
  }

  /** Bytes the chunk takes so far, header included. */
  public int byteLength() {
    return XorChunk.HEADER_BYTES + pos + ((accBits + 7) >>> 3);
  }

  /** A copy of the chunk as it stands. */
  public XorChunk toChunk() {
    byte[] b = new byte[byteLength()];
    for (int i = 0, start = 0; start < pos; start += segmentLength(i), i++) {
      byte[] from = segs == null ? seg : segs[i];
      System.arraycopy(
          from, 0, b, XorChunk.HEADER_BYTES + start, Math.min(from.length, pos - start));
    }
    if (accBits > 0) {
      long left = acc << (64 - accBits); // the pending bits, then zero bits to pad the last byte
      for (int i = XorChunk.HEADER_BYTES + pos; i < b.length; i++, left <<= 8) {
        b[i] = (byte) (left >>> 56);
      }
    }
    b[0] = (byte) (numSamples >>> 8);
    b[1] = (byte) numSamples;
    return new XorChunk(ByteBuffer.wrap(b).asReadOnlyBuffer());
  }

  private void writeDeltaOfDelta(long dod) {
    if (dod == 0) {
      writeBit(false);
    } else if (fits(dod, 14)) {
      writeBits(0b10, 2);
      writeBits(dod, 14);
    } else if (fits(dod, 17)) {
      writeBits(0b110, 3);
      writeBits(dod, 17);
    } else if (fits(dod, 20)) {
      writeBits(0b1110, 4);
      writeBits(dod, 20);
    } else {
      writeBits(0b1111, 4);
      writeBits(dod, 64);
    }
  }

  /** Prometheus's bucket test: {@code -(2^(n-1) - 1) <= x <= 2^(n-1)}. */
  static boolean fits(long x, int n) {
    return -((1L << (n - 1)) - 1) <= x && x <= 1L << (n - 1);
  }

  private void writeValue(long bits) {
    long delta = bits ^ vBits;
    if (delta == 0) {
      writeBit(false);
      return;
    }
    writeBit(true);
    int lead = Math.min(Long.numberOfLeadingZeros(delta), 31); // 5 bits hold at most 31
    int trail = Long.numberOfTrailingZeros(delta);
    if (leading >= 0 && lead >= leading && trail >= trailing) {
      writeBit(false);
      writeBits(delta >>> trailing, 64 - leading - trailing);
      return;
    }
    leading = (byte) lead;
    trailing = (byte) trail;
    writeBit(true);
    writeBits(lead, 5);
    int sig = 64 - lead - trail;
    writeBits(sig, 6); // 64 wraps to 0; the reader maps it back
    writeBits(delta >>> trail, sig);
  }

  private void writeUvarint(long x) {
    while (Long.compareUnsigned(x, 0x80) >= 0) {
      writeByte((int) (x & 0x7f) | 0x80);
      x >>>= 7;
    }
    writeByte((int) x);
  }

  private void writeBit(boolean bit) {
    writeBits(bit ? 1 : 0, 1);
  }

  /** Writes the low {@code n} bits of {@code u}, most significant first, 1 <= n <= 64. */
  private void writeBits(long u, int n) {
    u &= -1L >>> (64 - n);
    int free = 64 - accBits;
    if (n < free) {
      acc = (acc << n) | u;
      accBits = (byte) (accBits + n);
      return;
    }
    // The accumulator fills up: its bits and the top of u make a whole word.
    int rest = n - free;
    long word = free == 64 ? u : (acc << free) | (u >>> rest);
    int off = pos - segmentStart(segIndex);
    if (off == seg.length) {
      nextSegment();
      off = 0;
    }
    WORDS.set(seg, off, word);
    pos += 8;
    acc = u;
    accBits = (byte) rest;
  }

  private void writeByte(int b) {
    writeBits(b & 0xff, 8);
  }

  /**
   * Moves on to the segment after the full one, reusing it when an earlier chunk left it. Small
   * ones first, so a short chunk takes little; large ones later, so a long one has few headers.
   */
  private void nextSegment() {
    int next = segIndex + 1;
    if (segs == null) {
      segs = new byte[4][];
      segs[0] = seg;
    } else if (next == segs.length) {
      segs = Arrays.copyOf(segs, next * 2);
    }
    if (segs[next] == null) {
      segs[next] = new byte[segmentLength(next)];
    }
    seg = segs[next];
    segIndex = (short) next;
  }

  private static int segmentStart(int i) {
    return switch (i) {
      case 0 -> 0;
      case 1 -> SEGMENT_0;
      case 2 -> SEGMENT_0 + SEGMENT_1;
      default -> SEGMENT_0 + SEGMENT_1 + SEGMENT_2 + (i - 3) * SEGMENT_N;
    };
  }

  private static int segmentLength(int i) {
    return switch (i) {
      case 0 -> SEGMENT_0;
      case 1 -> SEGMENT_1;
      case 2 -> SEGMENT_2;
      default -> SEGMENT_N;
    };
  }
}
