package io.meridian.tsdb.chunk;

/**
 * The chunk segment files of a block's {@code chunks/} directory ({@code
 * ../shared/specs/tsdb-format/chunks.md}): files {@code 000001}, {@code 000002}, ... each at most
 * 512 MiB.
 *
 * <pre>
 * magic 0x85BD40DD (4) │ version 1 (1) │ padding (3)
 * chunk*: uvarint len(data) │ encoding (1) │ data │ crc32c(encoding, data) (4)
 * </pre>
 *
 * A chunk reference is {@code (file index from 0) << 32 | offset of the chunk's len field}.
 */
public final class ChunkSegmentFormat {
  public static final int MAGIC = 0x85BD40DD;
  public static final int VERSION = 1;
  public static final int HEADER_SIZE = 8;
  public static final long MAX_SEGMENT_SIZE = 512L * 1024 * 1024;

  private ChunkSegmentFormat() {}

  /** The file name of segment {@code index} (0-based): {@code 000001} for 0. */
  public static String segmentName(int index) {
    return String.format("%06d", index + 1);
  }

  public static long ref(int segment, long offset) {
    return ((long) segment << 32) | offset;
  }

  public static int segment(long ref) {
    return (int) (ref >>> 32);
  }

  public static long offset(long ref) {
    return ref & 0xffffffffL;
  }
}
