package io.meridian.util;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * Reads the encodings {@link Encbuf} writes from a memory segment (a mapped file, usually), moving
 * a position forward. Reading past the end or a malformed varint throws {@link DecodeException};
 * callers turn it into an error naming their file. Not thread-safe; cheap to create.
 */
public final class Decbuf {
  private static final ValueLayout.OfInt BE32 =
      ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
  private static final ValueLayout.OfLong BE64 =
      ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

  private final MemorySegment seg;
  private long pos;
  private long end;

  /** Reads {@code seg} from {@code start} up to {@code end}. */
  public Decbuf(MemorySegment seg, long start, long end) {
    if (start < 0 || end > seg.byteSize() || start > end) {
      throw new DecodeException(
          "range [" + start + ", " + end + ") outside " + seg.byteSize() + " bytes");
    }
    this.seg = seg;
    this.pos = start;
    this.end = end;
  }

  public long position() {
    return pos;
  }

  public void position(long p) {
    if (p < 0 || p > end) {
      throw new DecodeException("position " + p + " outside the buffer ending at " + end);
    }
    pos = p;
  }

  public long remaining() {
    return end - pos;
  }

  /** Narrows the readable end (to a section's length, say). */
  public void limit(long newEnd) {
    if (newEnd < pos || newEnd > end) {
      throw new DecodeException("length runs past the end: " + newEnd + " > " + end);
    }
    end = newEnd;
  }

  public int readByte() {
    need(1);
    return seg.get(ValueLayout.JAVA_BYTE, pos++) & 0xff;
  }

  public int readBE32() {
    need(4);
    int v = seg.get(BE32, pos);
    pos += 4;
    return v;
  }

  public long readBE64() {
    need(8);
    long v = seg.get(BE64, pos);
    pos += 8;
    return v;
  }

  public long readUvarint() {
    long x = 0;
    for (int shift = 0; shift < 70; shift += 7) {
      int b = readByte();
      if (shift == 63 && b > 1) {
        throw new DecodeException("uvarint overflows 64 bits at " + (pos - 1));
      }
      x |= (long) (b & 0x7f) << shift;
      if (b < 0x80) {
        return x;
      }
    }
    throw new DecodeException("uvarint longer than 10 bytes at " + pos);
  }

  /** A uvarint that must fit in an int. */
  public int readUvarint32() {
    long v = readUvarint();
    if (v < 0 || v > Integer.MAX_VALUE) {
      throw new DecodeException("value " + Long.toUnsignedString(v) + " too large at " + pos);
    }
    return (int) v;
  }

  public long readVarint() {
    long zz = readUvarint();
    return (zz >>> 1) ^ -(zz & 1);
  }

  /** A UTF-8 string prefixed by its byte count. */
  public String readUvarintStr() {
    int n = readUvarint32();
    need(n);
    byte[] bytes = new byte[n];
    MemorySegment.copy(seg, ValueLayout.JAVA_BYTE, pos, bytes, 0, n);
    pos += n;
    return new String(bytes, StandardCharsets.UTF_8);
  }

  /** Skips a string prefixed by its byte count without decoding it. */
  public void skipUvarintStr() {
    int n = readUvarint32();
    skip(n);
  }

  public void skip(long n) {
    need(n);
    pos += n;
  }

  /** CRC-32C of {@code seg[from, to)}. */
  public static int crc32c(MemorySegment seg, long from, long to) {
    CRC32C c = new CRC32C();
    c.update(seg.asSlice(from, to - from).asByteBuffer());
    return (int) c.getValue();
  }

  private void need(long n) {
    if (n < 0 || pos + n > end) {
      throw new DecodeException("unexpected end of data at " + pos + " (needs " + n + " bytes)");
    }
  }

  /** Data ended early or does not decode. */
  public static final class DecodeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public DecodeException(String message) {
      super(message);
    }
  }
}
