package io.meridian.tsdb.wal;

import java.util.Locale;

/**
 * The write-ahead log's files, as Prometheus's {@code tsdb/wlog} writes them ({@code
 * ../shared/specs/tsdb-format/wal.md}; where the spec and Prometheus's code disagree, this follows
 * the code).
 *
 * <pre>
 * wal/
 *   00000000, 00000001, ...     segments: decimal index, zero-padded to 8 digits (readers accept
 *                               any all-digit name); at most segmentSize bytes unless one record
 *                               alone is larger; no file header
 *   checkpoint.00000041/        a WAL of its own (segments 00000000...) summarising segments
 *                               up to 41; written as checkpoint.00000041.tmp, then renamed
 *
 * segment  = page*, the last one possibly short (a writer stopped mid-page, or crashed)
 * page     = 32 KiB = fragment* then zero padding once fewer than 7 bytes remain, or whenever
 *            the writer closes the segment
 * fragment = type(1) │ len(2, BE) │ CRC-32C of data(4, BE) │ data(len)
 *            type: bits 0-2 = 1 full, 2 first, 3 middle, 4 last (0 = rest of the page is padding)
 *                  bit 3 (0x08) = record is Snappy-compressed (block format, as Go's
 *                  snappy.Encode), bit 4 (0x10) = record is zstd-compressed, bits 5-7 zero
 * record   = full │ first middle* last; the fragments of a record are consecutive, never cross a
 *            page boundary, and a record never crosses a segment boundary. Compression applies
 *            to the whole record before it is split, and only when it makes the record smaller.
 * </pre>
 *
 * A record's payload starts with its {@link Records.Type} byte.
 */
public final class WalFormat {
  public static final int PAGE_SIZE = 32 * 1024;
  public static final int HEADER_SIZE = 7;
  public static final int DEFAULT_SEGMENT_SIZE = 128 << 20;

  /** The largest fragment data: a whole page less its header. */
  static final int MAX_FRAGMENT = PAGE_SIZE - HEADER_SIZE;

  static final int PAGE_TERM = 0;
  static final int FULL = 1;
  static final int FIRST = 2;
  static final int MIDDLE = 3;
  static final int LAST = 4;
  static final int TYPE_MASK = 0x07;
  static final int SNAPPY_FLAG = 0x08;
  static final int ZSTD_FLAG = 0x10;
  static final int COMPRESSION_MASK = SNAPPY_FLAG | ZSTD_FLAG;

  static final String CHECKPOINT_PREFIX = "checkpoint.";
  static final String TMP_SUFFIX = ".tmp";

  private WalFormat() {}

  /** The file name of segment {@code index}: {@code 00000042}. */
  public static String segmentName(int index) {
    if (index < 0) {
      throw new IllegalArgumentException("negative segment index " + index);
    }
    return String.format(Locale.ROOT, "%08d", index);
  }

  /** The directory name of the checkpoint covering segments up to {@code index}. */
  public static String checkpointName(int index) {
    return CHECKPOINT_PREFIX + segmentName(index);
  }

  /**
   * The index a file name denotes, if it is all ASCII digits and fits an int, else -1. Prometheus
   * zero-pads to 8 digits but parses any number, so we do too.
   */
  static int parseIndex(String name) {
    if (name.isEmpty() || name.length() > 10) {
      return -1;
    }
    long v = 0;
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v > Integer.MAX_VALUE ? -1 : (int) v;
  }

  /** The name of a fragment type for messages. */
  static String typeName(int type) {
    return switch (type) {
      case PAGE_TERM -> "padding";
      case FULL -> "full";
      case FIRST -> "first";
      case MIDDLE -> "middle";
      case LAST -> "last";
      default -> "unknown type " + type;
    };
  }
}
