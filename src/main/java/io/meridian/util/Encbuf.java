package io.meridian.util;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * A growable byte buffer with the encodings of the Prometheus file formats: big-endian fixed
 * widths, Go's varints (LEB128, zigzag for signed) and length-prefixed UTF-8 strings. Not
 * thread-safe; reuse it with {@link #reset()}.
 */
public final class Encbuf {
  private byte[] b;
  private int len;

  public Encbuf(int capacity) {
    this.b = new byte[Math.max(16, capacity)];
  }

  public Encbuf reset() {
    len = 0;
    return this;
  }

  public int len() {
    return len;
  }

  /** The backing array, valid up to {@link #len()} until the next write. */
  public byte[] array() {
    return b;
  }

  /** A copy of the content. */
  public byte[] toByteArray() {
    return Arrays.copyOf(b, len);
  }

  public Encbuf putByte(int v) {
    ensure(1);
    b[len++] = (byte) v;
    return this;
  }

  public Encbuf putBytes(byte[] src) {
    return putBytes(src, 0, src.length);
  }

  public Encbuf putBytes(byte[] src, int off, int n) {
    ensure(n);
    System.arraycopy(src, off, b, len, n);
    len += n;
    return this;
  }

  public Encbuf putBE32(int v) {
    ensure(4);
    b[len] = (byte) (v >>> 24);
    b[len + 1] = (byte) (v >>> 16);
    b[len + 2] = (byte) (v >>> 8);
    b[len + 3] = (byte) v;
    len += 4;
    return this;
  }

  public Encbuf putBE64(long v) {
    putBE32((int) (v >>> 32));
    return putBE32((int) v);
  }

  /** Overwrites 4 bytes at {@code at} (a length placeholder, say). */
  public void setBE32(int at, int v) {
    b[at] = (byte) (v >>> 24);
    b[at + 1] = (byte) (v >>> 16);
    b[at + 2] = (byte) (v >>> 8);
    b[at + 3] = (byte) v;
  }

  /** Go's {@code PutUvarint}: 7 bits a byte, least significant group first. */
  public Encbuf putUvarint(long v) {
    ensure(10);
    while (Long.compareUnsigned(v, 0x80) >= 0) {
      b[len++] = (byte) (v | 0x80);
      v >>>= 7;
    }
    b[len++] = (byte) v;
    return this;
  }

  /** Go's {@code PutVarint}: zigzag, then uvarint. */
  public Encbuf putVarint(long v) {
    return putUvarint((v << 1) ^ (v >> 63));
  }

  /** UTF-8 bytes prefixed by their count as a uvarint. */
  public Encbuf putUvarintStr(String s) {
    byte[] u = s.getBytes(StandardCharsets.UTF_8);
    putUvarint(u.length);
    return putBytes(u);
  }

  /** CRC-32C (Castagnoli), the checksum of every Prometheus TSDB file, over a range. */
  public int crc32c(int from, int to) {
    CRC32C c = new CRC32C();
    c.update(b, from, to - from);
    return (int) c.getValue();
  }

  /** Bytes {@link #putUvarint} takes for {@code v}. */
  public static int uvarintSize(long v) {
    int n = 1;
    while (Long.compareUnsigned(v, 0x80) >= 0) {
      v >>>= 7;
      n++;
    }
    return n;
  }

  private void ensure(int n) {
    if (len + n > b.length) {
      b = Arrays.copyOf(b, Math.max(len + n, b.length * 2));
    }
  }
}
