package io.meridian.tsdb.wal;

import static io.meridian.tsdb.wal.WalFormat.FIRST;
import static io.meridian.tsdb.wal.WalFormat.FULL;
import static io.meridian.tsdb.wal.WalFormat.HEADER_SIZE;
import static io.meridian.tsdb.wal.WalFormat.LAST;
import static io.meridian.tsdb.wal.WalFormat.MAX_FRAGMENT;
import static io.meridian.tsdb.wal.WalFormat.MIDDLE;
import static io.meridian.tsdb.wal.WalFormat.PAGE_SIZE;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Appends records to a write-ahead log directory in Prometheus's format (see {@link WalFormat}).
 *
 * <p>{@link #open} always starts a new segment after the last existing one, never appending to an
 * old one, so the caller should have read (and if need be repaired, see {@link WalRepair}) the
 * existing segments first. {@link #log} writes the records to the file but does not fsync; {@link
 * #sync()} does, and {@link #close()} flushes, pads the last page, fsyncs and closes.
 *
 * <p>Thread-safe: one lock serialises {@link #log}, {@link #sync()}, {@link #nextSegment()} and
 * {@link #close()}. After an {@link IOException} from a write, the tail of the current segment is
 * unknown: close the log, read it back and repair it before writing again.
 */
public final class Wal implements Closeable {
  private final java.util.concurrent.ExecutorService closer =
      java.util.concurrent.Executors.newSingleThreadExecutor(
          Thread.ofPlatform().name("wal-segment-close").daemon().factory());
  private java.util.concurrent.Future<?> pendingClose;

  private final Path dir;
  private final int pagesPerSegment;
  private final Compression compression;
  private final RecordCodec codec = new RecordCodec();
  private final ReentrantLock lock = new ReentrantLock();
  private SegmentWriter segment; // null once closed
  private int index;

  private Wal(Path dir, int pagesPerSegment, Compression compression, SegmentWriter segment) {
    this.dir = dir;
    this.pagesPerSegment = pagesPerSegment;
    this.compression = compression;
    this.segment = segment;
    this.index = segment.index();
  }

  /**
   * Opens the log in {@code dir}, creating the directory if needed, and starts a new segment after
   * the last existing one.
   *
   * @param segmentSize the size at which a segment is cut, a positive multiple of {@link
   *     WalFormat#PAGE_SIZE} ({@link WalFormat#DEFAULT_SEGMENT_SIZE} normally)
   * @throws IllegalArgumentException if the segment size is not a positive multiple of the page
   *     size
   */
  public static Wal open(Path dir, long segmentSize, Compression compression) throws IOException {
    if (segmentSize < PAGE_SIZE
        || segmentSize % PAGE_SIZE != 0
        || segmentSize / PAGE_SIZE > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          "WAL segment size " + segmentSize + " is not a positive multiple of " + PAGE_SIZE);
    }
    Files.createDirectories(dir);
    List<Integer> existing = segments(dir);
    int next = existing.isEmpty() ? 0 : existing.getLast() + 1;
    SegmentWriter s = SegmentWriter.create(dir, next);
    return new Wal(dir, (int) (segmentSize / PAGE_SIZE), compression, s);
  }

  /** Logs one record; see {@link #log(List)}. */
  public void log(byte[] record) throws IOException {
    log(List.of(record));
  }

  /**
   * Appends each element as one record, in order, and writes them to the file (the last page
   * partly), without fsync. A record that does not fit in the rest of the current segment starts
   * the next segment.
   */
  public void log(List<byte[]> records) throws IOException {
    lock.lock();
    try {
      current();
      for (byte[] rec : records) {
        append(rec);
      }
      if (segment.pageRemaining() < PAGE_SIZE) {
        segment.flushPage(false);
      }
    } finally {
      lock.unlock();
    }
  }

  private void append(byte[] rec) throws IOException {
    if (segment.pageFull()) {
      segment.flushPage(true);
    }
    int n = codec.compress(compression, rec);
    byte[] data = n < 0 ? rec : codec.buffer();
    int len = n < 0 ? rec.length : n;
    int flag = n < 0 ? 0 : compression.flag();
    long left =
        segment.pageRemaining()
            - HEADER_SIZE
            + (long) MAX_FRAGMENT * (pagesPerSegment - segment.donePages() - 1);
    // Records never span segments; one larger than a whole segment gets a segment to itself.
    if (len > left && !segment.isEmpty()) {
      startNextSegment();
    }
    int off = 0;
    // With exactly a header's room left in the page, the first fragment is empty, as in Prometheus.
    for (boolean first = true; first || off < len; first = false) {
      int part = Math.min(len - off, segment.pageRemaining() - HEADER_SIZE);
      boolean last = off + part == len;
      int type = first ? (last ? FULL : FIRST) : (last ? LAST : MIDDLE);
      segment.addFragment(type | flag, data, off, part);
      if (segment.pageFull()) {
        segment.flushPage(true);
      }
      off += part;
    }
  }

  /** Fsyncs the current segment. */
  public void sync() throws IOException {
    lock.lock();
    try {
      current().sync();
    } finally {
      lock.unlock();
    }
  }

  /** The index of the segment being written (the last one written, once closed). */
  public int currentSegment() {
    lock.lock();
    try {
      return index;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Pads, fsyncs and closes the current segment and starts the next; later records go there.
   *
   * @return the index of the new segment
   */
  public int nextSegment() throws IOException {
    lock.lock();
    try {
      current();
      startNextSegment();
      return segment.index();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Starts the next segment and closes the previous one (pad, fsync, close) on a background thread,
   * as Prometheus does: an fsync of a whole segment would otherwise stall every appender for
   * hundreds of milliseconds. At most one close is outstanding.
   */
  private void startNextSegment() throws IOException {
    SegmentWriter prev = segment;
    // Its records are in the file before the next segment exists: a reader tailing the WAL takes
    // the next segment's existence to mean this one is complete (only padding and fsync follow).
    prev.flushPage(false);
    SegmentWriter next = SegmentWriter.create(dir, prev.index() + 1);
    segment = next;
    index = next.index();
    awaitPendingClose();
    pendingClose =
        closer.submit(() -> {
          prev.close();
          return null;
        });
  }

  /** Waits until every segment before the current one is padded, synced and closed. */
  public void awaitSegmentsClosed() throws IOException {
    lock.lock();
    try {
      awaitPendingClose();
    } finally {
      lock.unlock();
    }
  }

  private void awaitPendingClose() throws IOException {
    java.util.concurrent.Future<?> f = pendingClose;
    pendingClose = null;
    if (f == null) {
      return;
    }
    try {
      f.get();
    } catch (java.util.concurrent.ExecutionException e) {
      throw e.getCause() instanceof IOException io
          ? io
          : new IOException("closing a WAL segment failed", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while closing a WAL segment", e);
    }
  }

  public Path dir() {
    return dir;
  }

  /** Flushes and pads the last page, fsyncs and closes the segment. Idempotent. */
  @Override
  public void close() throws IOException {
    lock.lock();
    try {
      awaitPendingClose();
      if (segment != null) {
        SegmentWriter s = segment;
        segment = null;
        s.close();
      }
    } finally {
      closer.shutdown();
      lock.unlock();
    }
  }

  private SegmentWriter current() throws IOException {
    if (segment == null) {
      throw new IOException("WAL " + dir + " is closed");
    }
    return segment;
  }

  /**
   * The indexes of the segment files in {@code dir} (all-digit names), ascending; empty if the
   * directory does not exist. Checkpoint directories and other files are ignored.
   */
  public static List<Integer> segments(Path dir) throws IOException {
    return SegmentRef.list(dir).stream().map(SegmentRef::index).toList();
  }

  /** Deletes the segment files of {@code dir} whose index is below {@code index}. */
  public static void deleteSegmentsBefore(Path dir, int index) throws IOException {
    for (SegmentRef s : SegmentRef.list(dir)) {
      if (s.index() >= index) {
        break;
      }
      Files.deleteIfExists(s.path());
    }
  }
}
