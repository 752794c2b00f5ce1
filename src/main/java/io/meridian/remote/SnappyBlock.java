package io.meridian.remote;

import io.airlift.compress.v3.MalformedInputException;
import io.airlift.compress.v3.snappy.SnappyCompressor;
import io.airlift.compress.v3.snappy.SnappyDecompressor;
import java.util.Arrays;

/**
 * Snappy's block format, as remote write and read bodies use it (not the framed format). The
 * decoded length a body claims is checked against a limit before anything is allocated, so a
 * decompression bomb costs nothing.
 */
public final class SnappyBlock {
  private SnappyBlock() {}

  /** Why a body does not decode. */
  public static final class CorruptException extends Exception {
    private static final long serialVersionUID = 1L;

    CorruptException(String message) {
      super(message);
    }
  }

  /** Decodes {@code body[0, length)} into a new array of its decoded length. */
  public static byte[] decompress(byte[] body, int length, int maxDecoded) throws CorruptException {
    if (length == 0) {
      throw new CorruptException("snappy: corrupt input (empty body)");
    }
    try {
      SnappyDecompressor d = SnappyDecompressor.create();
      int n = d.getUncompressedLength(body, 0);
      if (n < 0 || n > maxDecoded) {
        throw new CorruptException(
            "snappy: decoded length "
                + Integer.toUnsignedString(n)
                + " exceeds the limit of "
                + maxDecoded
                + " bytes");
      }
      byte[] raw = new byte[n];
      if (d.decompress(body, 0, length, raw, 0, n) != n) {
        throw new CorruptException("snappy: corrupt input (length mismatch)");
      }
      return raw;
    } catch (MalformedInputException | IndexOutOfBoundsException | IllegalArgumentException e) {
      throw new CorruptException("snappy: corrupt input: " + e.getMessage());
    }
  }

  /** Encodes {@code raw[0, length)}. */
  public static byte[] compress(byte[] raw, int length) {
    SnappyCompressor c = SnappyCompressor.create();
    byte[] out = new byte[c.maxCompressedLength(length)];
    int n = c.compress(raw, 0, length, out, 0, out.length);
    return Arrays.copyOf(out, n);
  }
}
