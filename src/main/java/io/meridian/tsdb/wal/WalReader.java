package io.meridian.tsdb.wal;

import static io.meridian.tsdb.wal.WalFormat.COMPRESSION_MASK;
import static io.meridian.tsdb.wal.WalFormat.FIRST;
import static io.meridian.tsdb.wal.WalFormat.FULL;
import static io.meridian.tsdb.wal.WalFormat.HEADER_SIZE;
import static io.meridian.tsdb.wal.WalFormat.LAST;
import static io.meridian.tsdb.wal.WalFormat.PAGE_SIZE;
import static io.meridian.tsdb.wal.WalFormat.PAGE_TERM;
import static io.meridian.tsdb.wal.WalFormat.TYPE_MASK;

import io.meridian.storage.CorruptDataException;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Reads the records of a range of segments in order, a page at a time, checking every fragment.
 *
 * <p>A segment may end mid-page (its writer stopped there); the rest of that page counts as
 * padding. Damage of any kind, including a record cut off by the end of its segment, throws a
 * {@link WalCorruptionException} at the start of the damaged record; reading past it is not
 * possible. Records of types this package does not decode are returned like any other; callers skip
 * them by {@link Records#type}.
 *
 * <p>Not thread-safe. The reader owns its open file and closes it in {@link #close()}.
 */
public final class WalReader implements Closeable {
  private static final HexFormat HEX = HexFormat.of();

  private final Path dir;
  private final List<SegmentRef> segments;
  private final byte[] page = new byte[PAGE_SIZE];
  private final CRC32C crc = new CRC32C();
  private final RecordCodec codec = new RecordCodec();
  private int next; // index into segments of the segment to open next
  private FileChannel ch;
  private int segment = -1;
  private long pageStart; // offset of page[0] in the segment
  private int pageLen; // bytes of the page read from the file
  private int pos; // read position in the page
  private byte[] rec = new byte[PAGE_SIZE];
  private int recLen;
  private long recOffset;
  private long recEnd;
  private ByteBuffer current;
  private final boolean tail;
  private long startOffset;
  private long tornAt = -1;

  private WalReader(Path dir, List<SegmentRef> segments, boolean tail, long startOffset) {
    this.dir = dir;
    this.segments = segments;
    this.tail = tail;
    this.startOffset = startOffset;
  }

  /**
   * Opens one segment that may still be written, from {@code offset} (0, or where a record ended).
   * Reading stops, without an error, where the written part ends, also inside a record the writer
   * has not finished; {@link #resumeOffset()} then says where to start the next reader.
   */
  public static WalReader tail(Path dir, int segment, long offset) throws IOException {
    SegmentRef s = new SegmentRef(segment, dir.resolve(WalFormat.segmentName(segment)));
    if (!java.nio.file.Files.exists(s.path())) {
      throw new java.nio.file.NoSuchFileException(s.path().toString());
    }
    return new WalReader(dir, List.of(s), true, offset);
  }

  /** For a {@link #tail} reader: whether reading stopped inside a record the segment cuts off. */
  public boolean stoppedInsideRecord() {
    return tornAt >= 0;
  }

  /**
   * For a {@link #tail} reader after {@link #next()} returned false: the offset where the next
   * unread record starts (or will start) in the segment.
   */
  public long resumeOffset() {
    return tornAt >= 0 ? tornAt : pageStart + pos;
  }

  /**
   * Opens the segments of {@code dir} with index in {@code [fromSegment, toSegment]} ({@code
   * Integer.MAX_VALUE} for all from {@code fromSegment} on). Segments missing below the first
   * existing one are not an error (a checkpoint replaced them); a gap between existing ones is.
   *
   * @throws CorruptDataException if the segments in the range are not consecutive
   */
  public static WalReader open(Path dir, int fromSegment, int toSegment) throws IOException {
    List<SegmentRef> in = new ArrayList<>();
    for (SegmentRef s : SegmentRef.list(dir)) {
      if (s.index() >= fromSegment && s.index() <= toSegment) {
        if (!in.isEmpty() && in.getLast().index() + 1 != s.index()) {
          throw new CorruptDataException(
              "WAL "
                  + dir
                  + ": segments are not consecutive, "
                  + in.getLast().path().getFileName()
                  + " is followed by "
                  + s.path().getFileName());
        }
        in.add(s);
      }
    }
    return new WalReader(dir, List.copyOf(in), false, 0);
  }

  /**
   * Moves to the next record.
   *
   * @return false at the clean end of the last segment
   * @throws WalCorruptionException if the next record is damaged or torn
   */
  public boolean next() throws WalCorruptionException, IOException {
    current = null;
    while (true) {
      if (ch == null) {
        if (next >= segments.size()) {
          return false;
        }
        openSegment(segments.get(next++));
      }
      try {
        if (readRecord()) {
          return true;
        }
      } catch (WalCorruptionException e) {
        if (tornAt >= 0) {
          return false; // a tail reader stops where the writer is
        }
        throw e;
      }
      if (tail) {
        return false; // keep the position for resumeOffset
      }
      closeSegment();
    }
  }

  /**
   * The current record's payload, decompressed, from position 0; valid until the next call to
   * {@link #next()}, which reuses the memory.
   */
  public ByteBuffer record() {
    if (current == null) {
      throw new IllegalStateException("no current record: call next() first");
    }
    return current;
  }

  /** The index of the segment holding the current record. */
  public int segment() {
    return segment;
  }

  /** Where the current record's first fragment starts in its segment. */
  public long offset() {
    return recOffset;
  }

  /** Where the current record's last fragment ends in its segment. */
  public long endOffset() {
    return recEnd;
  }

  @Override
  public void close() {
    closeSegment();
    next = segments.size();
  }

  private void openSegment(SegmentRef s) throws IOException {
    ch = FileChannel.open(s.path(), StandardOpenOption.READ);
    segment = s.index();
    pageStart = 0;
    pageLen = 0;
    pos = 0;
    if (startOffset > 0) {
      pageStart = startOffset - startOffset % PAGE_SIZE;
      readPage();
      pos = (int) (startOffset - pageStart);
      startOffset = 0;
      if (pos > pageLen) {
        throw corrupt(pageStart + pos, "segment is shorter than the offset to read from");
      }
    }
  }

  private void closeSegment() {
    if (ch != null) {
      try {
        ch.close();
      } catch (IOException e) {
        throw new UncheckedIOException("closing WAL segment " + segment + " of " + dir, e);
      }
      ch = null;
    }
  }

  /** Reads the next page; false at the end of the segment. */
  private boolean loadPage() throws IOException {
    if (pageLen < PAGE_SIZE && (pageLen > 0 || pageStart > 0)) {
      return false; // a short page is the segment's last
    }
    pageStart += pageLen;
    readPage();
    pos = 0;
    return pageLen > 0;
  }

  private void readPage() throws IOException {
    ByteBuffer b = ByteBuffer.wrap(page);
    while (b.hasRemaining()) {
      if (ch.read(b, pageStart + b.position()) < 0) {
        break;
      }
    }
    pageLen = b.position();
  }

  /**
   * Assembles the next record of the open segment into {@link #current}; false if the segment ends
   * before one starts.
   */
  private boolean readRecord() throws IOException {
    recLen = 0;
    int fragments = 0;
    int compression = 0;
    while (true) {
      if (pos >= pageLen && !loadPage()) {
        if (fragments > 0) {
          throw torn(
              recOffset, "torn record: the segment ends after its " + fragments + " fragment(s)");
        }
        return false;
      }
      long at = pageStart + pos;
      int b = page[pos] & 0xff;
      int type = b & TYPE_MASK;
      if (type == PAGE_TERM) {
        checkPadding(b, fragments > 0 ? recOffset : at);
        continue;
      }
      long start = fragments > 0 ? recOffset : at;
      int len = checkFragment(b, type, fragments, at, start);
      if (fragments == 0) {
        recOffset = at;
        compression = b & COMPRESSION_MASK;
      } else if ((b & COMPRESSION_MASK) != compression) {
        throw corrupt(start, "fragment at " + at + " has other compression flags than its record");
      }
      append(pos + HEADER_SIZE, len);
      pos += HEADER_SIZE + len;
      fragments++;
      if (type == FULL || type == LAST) {
        recEnd = pageStart + pos;
        current = decode(compression);
        return true;
      }
    }
  }

  /** Checks the rest of the page is zeros (the first byte included) and skips it. */
  private void checkPadding(int b, long start) throws WalCorruptionException {
    for (int i = pos; i < pageLen; i++) {
      if (page[i] != 0) {
        String what =
            i == pos
                ? "fragment type byte 0x" + HEX.toHexDigits((byte) b) + " has no record type"
                : "non-zero byte in page padding at " + (pageStart + i);
        throw corrupt(start, what);
      }
    }
    pos = pageLen;
  }

  /** Validates the fragment header at {@link #pos} and its data; returns the data length. */
  private int checkFragment(int b, int type, int fragments, long at, long start)
      throws WalCorruptionException {
    if (PAGE_SIZE - pos < HEADER_SIZE) {
      throw corrupt(start, "fragment header at " + at + " crosses a page boundary");
    }
    if (pageLen - pos < HEADER_SIZE) {
      throw torn(start, "torn record: the segment ends inside the fragment header at " + at);
    }
    if (type > LAST
        || (b & ~(TYPE_MASK | COMPRESSION_MASK)) != 0
        || (b & COMPRESSION_MASK) == COMPRESSION_MASK) {
      throw corrupt(start, "bad fragment type byte 0x" + HEX.toHexDigits((byte) b) + " at " + at);
    }
    boolean opens = type == FULL || type == FIRST;
    if (opens != (fragments == 0)) {
      throw corrupt(
          start,
          "unexpected "
              + WalFormat.typeName(type)
              + " fragment at "
              + at
              + (fragments == 0 ? " with no record open" : " inside the record at " + start));
    }
    int len = ((page[pos + 1] & 0xff) << 8) | (page[pos + 2] & 0xff);
    if (pos + HEADER_SIZE + len > PAGE_SIZE) {
      throw corrupt(start, "fragment at " + at + " of " + len + " bytes crosses a page boundary");
    }
    if (pos + HEADER_SIZE + len > pageLen) {
      throw torn(start, "torn record: the segment ends inside the fragment at " + at);
    }
    int stored =
        ((page[pos + 3] & 0xff) << 24)
            | ((page[pos + 4] & 0xff) << 16)
            | ((page[pos + 5] & 0xff) << 8)
            | (page[pos + 6] & 0xff);
    crc.reset();
    crc.update(page, pos + HEADER_SIZE, len);
    int computed = (int) crc.getValue();
    if (computed != stored) {
      throw corrupt(
          start,
          "bad CRC-32C of the fragment at "
              + at
              + ": stored "
              + HEX.toHexDigits(stored)
              + ", computed "
              + HEX.toHexDigits(computed));
    }
    return len;
  }

  private void append(int from, int len) {
    if (recLen + len > rec.length) {
      rec = Arrays.copyOf(rec, Math.max(recLen + len, rec.length * 2));
    }
    System.arraycopy(page, from, rec, recLen, len);
    recLen += len;
  }

  private ByteBuffer decode(int compression) throws WalCorruptionException {
    if (compression == 0 || recLen == 0) {
      return ByteBuffer.wrap(rec, 0, recLen).slice();
    }
    try {
      int n = codec.decompress(compression, rec, recLen);
      return ByteBuffer.wrap(codec.buffer(), 0, n).slice();
    } catch (IllegalArgumentException e) {
      String name = compression == WalFormat.SNAPPY_FLAG ? "snappy" : "zstd";
      throw corrupt(recOffset, "record does not " + name + "-decompress: " + e.getMessage(), e);
    }
  }

  /** A record the segment's end cuts off: damage, unless this reader tails a segment in writing. */
  private WalCorruptionException torn(long start, String what) {
    if (tail) {
      tornAt = start;
    }
    return corrupt(start, what);
  }

  private WalCorruptionException corrupt(long offset, String what) {
    return new WalCorruptionException(dir, segment, offset, what);
  }

  private WalCorruptionException corrupt(long offset, String what, Throwable cause) {
    return new WalCorruptionException(dir, segment, offset, what, cause);
  }
}
