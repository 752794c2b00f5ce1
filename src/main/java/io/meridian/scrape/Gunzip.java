package io.meridian.scrape;

import java.io.IOException;
import java.util.Optional;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import java.util.zip.ZipException;

/**
 * Inflates a gzip body (one or more members) into one array sized by the gzip trailer's length
 * field (checked, not trusted: a wrong one only costs a resize), so a scrape copies its body once.
 * Each member's CRC and length are checked. Arrays and inflaters come from {@link BodyBuffers}.
 *
 * <p>Deflate data is decoded by {@link Libdeflate} when the system has it, else by the JDK's {@link
 * Inflater}; both give the same bytes and the same errors' meaning.
 */
final class Gunzip {
  /** The way scrapes inflate on this system. */
  static final Gunzip SYSTEM = new Gunzip(Libdeflate.system());

  private final Optional<Libdeflate> lib;

  Gunzip(Optional<Libdeflate> lib) {
    this.lib = lib;
  }

  /** An inflated body; only the first {@code length} bytes count. */
  static final class Inflated {
    private final byte[] bytes;
    private final int length;

    Inflated(byte[] bytes, int length) {
      this.bytes = bytes;
      this.length = length;
    }

    byte[] bytes() {
      return bytes;
    }

    int length() {
      return length;
    }
  }

  /**
   * Inflates {@code in[0, n)}, which is given back to {@link BodyBuffers} whatever happens.
   *
   * @param limit the most bytes the body may inflate to, 0 for no limit
   * @throws IOException when the body is not valid gzip or exceeds the limit
   */
  Inflated inflate(byte[] in, int n, long limit) throws IOException {
    long declared = n < 18 ? 0 : readIntLe(in, n - 4) & 0xffffffffL;
    long cap = limit > 0 ? Math.min(limit + 1, declared + 1) : declared + 1;
    byte[] out = BodyBuffers.SHARED.take(Math.clamp(cap, 256, Integer.MAX_VALUE - 16));
    Inflater z = lib.isPresent() ? null : BodyBuffers.SHARED.inflater();
    int len = 0;
    try {
      int pos = 0;
      do {
        pos = gzipHeader(in, pos, n);
        int memberStart = len;
        while (true) {
          long r =
              lib.isPresent()
                  ? lib.get().inflate(in, pos, n - pos, out, len, out.length - len)
                  : inflate(z, in, pos, n, out, len);
          if (r == Libdeflate.BAD_DATA) {
            throw new ZipException("invalid gzip body: bad or truncated deflate data");
          }
          if (r != Libdeflate.NO_ROOM) {
            pos += (int) (r >>> 32);
            len += (int) r;
            break;
          }
          if (limit > 0 && out.length > limit) {
            throw TargetScraper.tooLarge(limit);
          }
          byte[] grown =
              BodyBuffers.SHARED.take((int) Math.min(Integer.MAX_VALUE - 16, 2L * out.length));
          System.arraycopy(out, 0, grown, 0, len);
          BodyBuffers.SHARED.give(out);
          out = grown;
        }
        if (limit > 0 && len > limit) {
          throw TargetScraper.tooLarge(limit);
        }
        CRC32 crc = new CRC32();
        crc.update(out, memberStart, len - memberStart);
        if (n - pos < 8
            || readIntLe(in, pos) != (int) crc.getValue()
            || readIntLe(in, pos + 4) != len - memberStart) {
          throw new ZipException("corrupt gzip trailer");
        }
        pos += 8;
        // Further members are inflated too; bytes after the last one that are not a member are
        // ignored, as Go's and the JDK's readers do.
      } while (n - pos >= 10 && (in[pos] & 0xff) == 0x1f && (in[pos + 1] & 0xff) == 0x8b);
    } catch (IOException | RuntimeException e) {
      BodyBuffers.SHARED.give(out);
      throw e;
    } finally {
      if (z != null) {
        BodyBuffers.SHARED.give(z);
      }
      BodyBuffers.SHARED.give(in);
    }
    return new Inflated(out, len);
  }

  /**
   * The JDK's way: inflates one member's deflate data from {@code pos} into {@code out} from {@code
   * len}, in {@link Libdeflate#inflate}'s terms (the member's data restarts when the output is
   * grown).
   */
  private static long inflate(Inflater z, byte[] in, int pos, int n, byte[] out, int len)
      throws ZipException {
    z.reset();
    z.setInput(in, pos, n - pos);
    int written = 0;
    try {
      while (!z.finished()) {
        if (len + written == out.length) {
          return Libdeflate.NO_ROOM;
        }
        int r = z.inflate(out, len + written, out.length - len - written);
        if (r == 0 && (z.needsInput() || z.needsDictionary())) {
          throw new ZipException("gzip body ends early");
        }
        written += r;
      }
    } catch (DataFormatException e) {
      throw new ZipException("invalid gzip body: " + e.getMessage());
    }
    long consumed = (long) n - pos - z.getRemaining();
    return consumed << 32 | written;
  }

  /** Skips a gzip member's header at {@code pos}; returns where its deflate data starts. */
  private static int gzipHeader(byte[] b, int pos, int n) throws IOException {
    if (n - pos < 10 || (b[pos] & 0xff) != 0x1f || (b[pos + 1] & 0xff) != 0x8b) {
      throw new ZipException("Not in GZIP format");
    }
    if (b[pos + 2] != 8) {
      throw new ZipException("Unsupported compression method");
    }
    int flags = b[pos + 3] & 0xff;
    int p = pos + 10;
    if ((flags & 4) != 0) { // FEXTRA
      if (n - p < 2) {
        throw new ZipException("gzip header ends early");
      }
      p += 2 + ((b[p] & 0xff) | (b[p + 1] & 0xff) << 8);
    }
    for (int flag : new int[] {8, 16}) { // FNAME, FCOMMENT: zero-terminated
      if ((flags & flag) != 0) {
        while (p < n && b[p] != 0) {
          p++;
        }
        p++;
      }
    }
    if ((flags & 2) != 0) { // FHCRC
      p += 2;
    }
    if (p > n) {
      throw new ZipException("gzip header ends early");
    }
    return p;
  }

  private static int readIntLe(byte[] b, int p) {
    return (b[p] & 0xff)
        | (b[p + 1] & 0xff) << 8
        | (b[p + 2] & 0xff) << 16
        | (b[p + 3] & 0xff) << 24;
  }
}
