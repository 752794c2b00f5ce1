package io.meridian.remote;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Writes protobuf wire format into a growing array. A sub-message's length is not known until its
 * end, so {@link #begin} leaves room for a 5-byte length and {@link #end} moves the message back
 * over the bytes it did not need: one copy per sub-message, none per field.
 */
public final class ProtoWriter {
  private byte[] b;
  private int len;

  public ProtoWriter(int capacity) {
    b = new byte[Math.max(16, capacity)];
  }

  /** Empties the writer, keeping its array. */
  public ProtoWriter reset() {
    len = 0;
    return this;
  }

  public int length() {
    return len;
  }

  /** The array holding the message; only the first {@link #length()} bytes count. */
  public byte[] array() {
    return b;
  }

  public byte[] toByteArray() {
    return Arrays.copyOf(b, len);
  }

  public ProtoWriter varintField(int field, long v) {
    tag(field, ProtoReader.VARINT);
    varint(v);
    return this;
  }

  public ProtoWriter doubleField(int field, double v) {
    tag(field, ProtoReader.FIXED64);
    fixed64(Double.doubleToRawLongBits(v));
    return this;
  }

  public ProtoWriter stringField(int field, String s) {
    int n = s.length();
    for (int i = 0; i < n; i++) {
      if (s.charAt(i) >= 0x80) {
        return bytesField(field, s.getBytes(StandardCharsets.UTF_8));
      }
    }
    // ASCII, nearly every label: written char by char, no byte array per string.
    tag(field, ProtoReader.LEN);
    varint(n);
    ensure(n);
    for (int i = 0; i < n; i++) {
      b[len++] = (byte) s.charAt(i);
    }
    return this;
  }

  /** Appends bytes already in the wire format (fields encoded elsewhere). */
  public ProtoWriter raw(byte[] v, int off, int n) {
    ensure(n);
    System.arraycopy(v, off, b, len, n);
    len += n;
    return this;
  }

  public ProtoWriter bytesField(int field, byte[] v) {
    return bytesField(field, v, 0, v.length);
  }

  public ProtoWriter bytesField(int field, byte[] v, int off, int n) {
    tag(field, ProtoReader.LEN);
    varint(n);
    ensure(n);
    System.arraycopy(v, off, b, len, n);
    len += n;
    return this;
  }

  /** A bytes field from a buffer's position to its limit; the buffer's position is not moved. */
  public ProtoWriter bytesField(int field, java.nio.ByteBuffer v) {
    int n = v.remaining();
    tag(field, ProtoReader.LEN);
    varint(n);
    ensure(n);
    v.duplicate().get(b, len, n);
    len += n;
    return this;
  }

  /** Starts a sub-message in {@code field}; returns the mark to pass to {@link #end}. */
  public int begin(int field) {
    tag(field, ProtoReader.LEN);
    ensure(5);
    int mark = len;
    len += 5;
    return mark;
  }

  /** Ends the sub-message {@link #begin} started. */
  public ProtoWriter end(int mark) {
    int body = mark + 5;
    int n = len - body;
    int sizeLen = varintSize(n);
    System.arraycopy(b, body, b, mark + sizeLen, n);
    int p = mark;
    long v = n;
    while ((v & ~0x7fL) != 0) {
      b[p++] = (byte) ((v & 0x7f) | 0x80);
      v >>>= 7;
    }
    b[p] = (byte) v;
    len = mark + sizeLen + n;
    return this;
  }

  private void tag(int field, int wireType) {
    varint((long) field << 3 | wireType);
  }

  public ProtoWriter varint(long v) {
    ensure(10);
    while ((v & ~0x7fL) != 0) {
      b[len++] = (byte) ((v & 0x7f) | 0x80);
      v >>>= 7;
    }
    b[len++] = (byte) v;
    return this;
  }

  public ProtoWriter fixed64(long v) {
    ensure(8);
    for (int i = 0; i < 8; i++) {
      b[len++] = (byte) (v >>> (8 * i));
    }
    return this;
  }

  static int varintSize(long v) {
    int n = 1;
    while ((v & ~0x7fL) != 0) {
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
