package io.meridian.tsdb.chunk;

import io.meridian.storage.CorruptDataException;
import io.meridian.storage.SampleIterator;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.NoSuchElementException;

/** Decodes an XOR chunk (see {@link XorEncoder} for the encoding) without allocating. */
final class XorIterator implements SampleIterator {
  private final BitReader in = new BitReader();
  private int total;
  private int read;
  private boolean exhausted = true;
  private long t;
  private long tDelta;
  private long vBits;
  private int leading;
  private int trailing;

  void reset(ByteBuffer bytes, int numSamples) {
    in.reset(bytes, XorChunk.HEADER_BYTES);
    total = numSamples;
    read = 0;
    exhausted = false;
    t = 0;
    tDelta = 0;
    vBits = 0;
    leading = 0;
    trailing = 0;
  }

  @Override
  public boolean next() {
    if (exhausted || read == total) {
      exhausted = true;
      return false;
    }
    try {
      switch (read) {
        case 0 -> {
          long zz = readUvarint();
          t = (zz >>> 1) ^ -(zz & 1);
          vBits = in.readBits(64);
        }
        case 1 -> {
          tDelta = readUvarint();
          t += tDelta;
          readValue();
        }
        default -> {
          tDelta += readDeltaOfDelta();
          t += tDelta;
          readValue();
        }
      }
    } catch (BitReader.EndOfChunkException e) {
      exhausted = true;
      throw new UncheckedIOException(
          new CorruptDataException(
              "XOR chunk ends after " + read + " of " + total + " samples", e));
    }
    read++;
    return true;
  }

  @Override
  public boolean seek(long target) {
    if (exhausted) {
      return false;
    }
    if (read > 0 && t >= target) {
      return true;
    }
    while (next()) {
      if (t >= target) {
        return true;
      }
    }
    return false;
  }

  @Override
  public long t() {
    check();
    return t;
  }

  @Override
  public double v() {
    check();
    return Double.longBitsToDouble(vBits);
  }

  private void check() {
    if (read == 0 || exhausted) {
      throw new NoSuchElementException("no current sample");
    }
  }

  private long readDeltaOfDelta() throws BitReader.EndOfChunkException {
    int ones = in.readOnes(4);
    int size =
        switch (ones) {
          case 0 -> 0;
          case 1 -> 14;
          case 2 -> 17;
          case 3 -> 20;
          default -> 64;
        };
    if (size == 0) {
      return 0;
    }
    long bits = in.readBits(size);
    if (size != 64 && bits > (1L << (size - 1))) {
      bits -= 1L << size; // negative numbers come back as large unsigned ones
    }
    return bits;
  }

  private void readValue() throws BitReader.EndOfChunkException {
    int control = in.readOnes(2); // 0: same value; 10: previous window; 11: new window
    if (control == 0) {
      return;
    }
    if (control == 2) {
      leading = (int) in.readBits(5);
      int sig = (int) in.readBits(6);
      if (sig == 0) {
        sig = 64;
      }
      trailing = 64 - leading - sig;
    }
    int sig = 64 - leading - trailing;
    vBits ^= in.readBits(sig) << trailing;
  }

  private long readUvarint() throws BitReader.EndOfChunkException {
    long x = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      int b = in.readByte();
      x |= (long) (b & 0x7f) << shift;
      if (b < 0x80) {
        return x;
      }
    }
    throw new BitReader.EndOfChunkException();
  }
}
