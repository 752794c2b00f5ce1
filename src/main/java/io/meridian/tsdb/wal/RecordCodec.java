package io.meridian.tsdb.wal;

import io.airlift.compress.v3.MalformedInputException;
import io.airlift.compress.v3.snappy.SnappyCompressor;
import io.airlift.compress.v3.snappy.SnappyDecompressor;
import io.airlift.compress.v3.zstd.ZstdCompressor;
import io.airlift.compress.v3.zstd.ZstdDecompressor;
import java.util.Arrays;

/**
 * Compresses and decompresses whole records into a reused buffer. Codecs are created on first use.
 * Not thread-safe: each writer and reader owns one.
 */
final class RecordCodec {
  /** A record that claims to decompress to more than this is corrupt rather than big. */
  private static final int MAX_RECORD = 1 << 30;

  /** How far we grow the output trying to fit a zstd frame that does not state its size. */
  private static final int MAX_UNSIZED = 256 << 20;

  private SnappyCompressor snappyCompressor;
  private SnappyDecompressor snappyDecompressor;
  private ZstdCompressor zstdCompressor;
  private ZstdDecompressor zstdDecompressor;
  private byte[] buf = new byte[1024];

  /** The output of the last call, valid up to the length it returned until the next call. */
  byte[] buffer() {
    return buf;
  }

  /**
   * Compresses {@code rec} into {@link #buffer()} and returns the compressed length, or -1 when
   * compression would not make it smaller (Prometheus then stores the record as it is).
   */
  int compress(Compression c, byte[] rec) {
    if (c == Compression.NONE || rec.length == 0) {
      return -1;
    }
    int n =
        switch (c) {
          case NONE -> throw new AssertionError();
          case SNAPPY -> {
            if (snappyCompressor == null) {
              snappyCompressor = SnappyCompressor.create();
            }
            yield compress(snappyCompressor.maxCompressedLength(rec.length), rec, snappyCompressor);
          }
          case ZSTD -> {
            if (zstdCompressor == null) {
              zstdCompressor = ZstdCompressor.create();
            }
            yield compress(zstdCompressor.maxCompressedLength(rec.length), rec, zstdCompressor);
          }
        };
    return n < rec.length ? n : -1;
  }

  private int compress(int max, byte[] rec, io.airlift.compress.v3.Compressor compressor) {
    ensure(max);
    return compressor.compress(rec, 0, rec.length, buf, 0, buf.length);
  }

  /**
   * Decompresses {@code src[0, len)} flagged with {@code flag} into {@link #buffer()} and returns
   * the decompressed length.
   *
   * @throws IllegalArgumentException if the data does not decompress
   */
  int decompress(int flag, byte[] src, int len) {
    try {
      return flag == WalFormat.SNAPPY_FLAG ? unsnappy(src, len) : unzstd(src, len);
    } catch (MalformedInputException | IndexOutOfBoundsException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  private int unsnappy(byte[] src, int len) {
    if (snappyDecompressor == null) {
      snappyDecompressor = SnappyDecompressor.create();
    }
    int n = snappyDecompressor.getUncompressedLength(src, 0);
    if (n < 0 || n > MAX_RECORD) {
      throw new IllegalArgumentException("snappy length " + n + " out of range");
    }
    ensure(n);
    return snappyDecompressor.decompress(src, 0, len, buf, 0, n);
  }

  private int unzstd(byte[] src, int len) {
    if (zstdDecompressor == null) {
      zstdDecompressor = ZstdDecompressor.create();
    }
    long size = zstdDecompressor.getDecompressedSize(src, 0, len);
    if (size > MAX_RECORD) {
      throw new IllegalArgumentException("zstd frame size " + size + " out of range");
    }
    if (size >= 0) {
      ensure((int) size);
      return zstdDecompressor.decompress(src, 0, len, buf, 0, (int) size);
    }
    // A frame without its content size: grow until the output fits.
    for (int cap = Math.max(buf.length, 4 * len); ; cap = Math.min(MAX_UNSIZED, cap * 2)) {
      ensure(cap);
      try {
        return zstdDecompressor.decompress(src, 0, len, buf, 0, buf.length);
      } catch (MalformedInputException e) {
        if (cap >= MAX_UNSIZED) {
          throw e;
        }
      }
    }
  }

  private void ensure(int n) {
    if (buf.length < n) {
      buf = Arrays.copyOf(buf, Math.max(n, buf.length * 2));
    }
  }
}
