package io.meridian.tsdb.wal;

import io.meridian.storage.CorruptDataException;
import java.nio.file.Path;

/**
 * A WAL segment does not read back: a bad checksum, an impossible fragment type or sequence, a
 * fragment crossing a page, non-zero padding, a record that does not decompress, or a record cut
 * off by the end of its segment (a torn write). Every record of the directory before {@link
 * #segment()}/{@link #offset()} read cleanly; {@link WalRepair#repair} keeps exactly those.
 *
 * <p>{@link #offset()} is where the damaged record (or padding) starts in its segment, so callers
 * that find a record undecodable can report it with the reader's {@link WalReader#segment()} and
 * {@link WalReader#offset()} too.
 */
public final class WalCorruptionException extends CorruptDataException {
  private static final long serialVersionUID = 1L;

  private final transient Path dir;
  private final int segment;
  private final long offset;

  /**
   * @param dir the WAL (or checkpoint) directory that holds the segment
   * @param what what is wrong, for the message
   */
  public WalCorruptionException(Path dir, int segment, long offset, String what) {
    super(message(dir, segment, offset, what));
    this.dir = dir;
    this.segment = segment;
    this.offset = offset;
  }

  public WalCorruptionException(Path dir, int segment, long offset, String what, Throwable cause) {
    super(message(dir, segment, offset, what), cause);
    this.dir = dir;
    this.segment = segment;
    this.offset = offset;
  }

  private static String message(Path dir, int segment, long offset, String what) {
    return "corrupt WAL segment "
        + dir.resolve(WalFormat.segmentName(segment))
        + " at offset "
        + offset
        + ": "
        + what;
  }

  /** The directory whose segment is corrupt. */
  public Path dir() {
    return dir;
  }

  /** The index of the corrupt segment. */
  public int segment() {
    return segment;
  }

  /** The offset in the segment of the first byte that is not part of a good record. */
  public long offset() {
    return offset;
  }
}
