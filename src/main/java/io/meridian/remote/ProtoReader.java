package io.meridian.remote;

/**
 * Reads protobuf wire format from a byte range without allocating: fields are visited in place and
 * sub-messages are read by narrowing the range ({@link #sub}), so decoding a write request costs no
 * object per sample. Strings are only checked here; callers make {@code String}s of the ranges they
 * keep.
 */
final class ProtoReader {
  static final int VARINT = 0;
  static final int FIXED64 = 1;
  static final int LEN = 2;
  static final int FIXED32 = 5;

  private final byte[] b;
  private int pos;
  private int limit;

  ProtoReader(byte[] b, int off, int end) {
    if (off < 0 || end > b.length || off > end) {
      throw new IndexOutOfBoundsException(off + ".." + end + " of " + b.length);
    }
    this.b = b;
    this.pos = off;
    this.limit = end;
  }

  byte[] bytes() {
    return b;
  }

  int position() {
    return pos;
  }

  int limit() {
    return limit;
  }

  boolean hasMore() {
    return pos < limit;
  }

  /** Reads a field's tag: field number {@code << 3 |} wire type. */
  int tag() throws ProtoException {
    long t = varint();
    int field = (int) (t >>> 3);
    if (t >>> 32 != 0 || field == 0) {
      throw new ProtoException("invalid field tag " + t + " at byte " + pos);
    }
    return (int) t;
  }

  static int field(int tag) {
    return tag >>> 3;
  }

  static int wireType(int tag) {
    return tag & 7;
  }

  long varint() throws ProtoException {
    long v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos >= limit) {
        throw truncated();
      }
      byte x = b[pos++];
      v |= (long) (x & 0x7f) << shift;
      if (x >= 0) {
        return v;
      }
    }
    throw new ProtoException("varint longer than 10 bytes at byte " + pos);
  }

  long fixed64() throws ProtoException {
    if (limit - pos < 8) {
      throw truncated();
    }
    long v = 0;
    for (int i = 7; i >= 0; i--) {
      v = (v << 8) | (b[pos + i] & 0xffL);
    }
    pos += 8;
    return v;
  }

  int fixed32() throws ProtoException {
    if (limit - pos < 4) {
      throw truncated();
    }
    int v =
        (b[pos] & 0xff) | (b[pos + 1] & 0xff) << 8 | (b[pos + 2] & 0xff) << 16 | b[pos + 3] << 24;
    pos += 4;
    return v;
  }

  double double64() throws ProtoException {
    return Double.longBitsToDouble(fixed64());
  }

  /**
   * Reads a length prefix and returns where the field's bytes end; they start at {@link
   * #position()}. The caller reads them and then calls {@link #skipTo}.
   */
  int lengthEnd() throws ProtoException {
    long n = varint();
    if (n < 0 || n > limit - pos) {
      throw truncated();
    }
    return pos + (int) n;
  }

  void skipTo(int p) {
    pos = p;
  }

  /** Narrows this reader to {@code [position, end)}; returns the old limit for {@link #pop}. */
  int sub(int end) {
    int old = limit;
    limit = end;
    return old;
  }

  /** Restores the limit {@link #sub} returned; the position is left at the sub-message's end. */
  void pop(int oldLimit) {
    limit = oldLimit;
  }

  /** Skips a field of the given wire type whose tag was just read. */
  void skip(int wireType) throws ProtoException {
    switch (wireType) {
      case VARINT -> varint();
      case FIXED64 -> {
        if (limit - pos < 8) {
          throw truncated();
        }
        pos += 8;
      }
      case LEN -> pos = lengthEnd();
      case FIXED32 -> {
        if (limit - pos < 4) {
          throw truncated();
        }
        pos += 4;
      }
      default -> throw new ProtoException("unsupported wire type " + wireType + " at byte " + pos);
    }
  }

  /** Fails unless {@code [off, end)} is well-formed UTF-8 (what proto3 requires of strings). */
  static void checkUtf8(byte[] b, int off, int end) throws ProtoException {
    int i = off;
    while (i < end) {
      int c = b[i];
      if (c >= 0) {
        i++;
        continue;
      }
      c &= 0xff;
      int n;
      int min;
      if (c >= 0xc2 && c <= 0xdf) {
        n = 1;
        min = 0x80;
      } else if (c >= 0xe0 && c <= 0xef) {
        n = 2;
        min = 0x800;
      } else if (c >= 0xf0 && c <= 0xf4) {
        n = 3;
        min = 0x10000;
      } else {
        throw new ProtoException("invalid UTF-8 in string");
      }
      if (end - i <= n) {
        throw new ProtoException("invalid UTF-8 in string");
      }
      int cp = c & (0x3f >> n);
      for (int k = 1; k <= n; k++) {
        int cc = b[i + k] & 0xff;
        if ((cc & 0xc0) != 0x80) {
          throw new ProtoException("invalid UTF-8 in string");
        }
        cp = (cp << 6) | (cc & 0x3f);
      }
      if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
        throw new ProtoException("invalid UTF-8 in string");
      }
      i += n + 1;
    }
  }

  private ProtoException truncated() {
    return new ProtoException("message truncated at byte " + pos);
  }
}
