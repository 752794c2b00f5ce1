package io.meridian.tsdb.wal;

import static io.meridian.tsdb.wal.WalFormat.HEADER_SIZE;
import static io.meridian.tsdb.wal.WalFormat.PAGE_SIZE;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * One segment file being written, with its page buffer: fragments are laid into the page, and the
 * page is written out when full or when the caller flushes a batch, so a segment can end mid-page
 * and later fragments continue that page. Not thread-safe; {@link Wal} serialises access.
 */
final class SegmentWriter implements Closeable {
  private final int index;
  private final Path path;
  private final FileChannel ch;
  private final byte[] page = new byte[PAGE_SIZE];
  private final ByteBuffer pageBuf = ByteBuffer.wrap(page);
  private final CRC32C crc = new CRC32C();
  private int alloc; // bytes of the page filled
  private int flushed; // bytes of the page already in the file
  private int donePages; // whole pages in the file

  private SegmentWriter(int index, Path path, FileChannel ch) {
    this.index = index;
    this.path = path;
    this.ch = ch;
  }

  /**
   * Creates segment {@code index} in {@code dir}; fails if it exists, so nothing is overwritten.
   */
  static SegmentWriter create(Path dir, int index) throws IOException {
    Path p = dir.resolve(WalFormat.segmentName(index));
    FileChannel ch = FileChannel.open(p, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    return new SegmentWriter(index, p, ch);
  }

  int index() {
    return index;
  }

  Path path() {
    return path;
  }

  /** Bytes left in the page, header included. */
  int pageRemaining() {
    return PAGE_SIZE - alloc;
  }

  int donePages() {
    return donePages;
  }

  /** No fragment header fits in the page any more. */
  boolean pageFull() {
    return PAGE_SIZE - alloc < HEADER_SIZE;
  }

  boolean isEmpty() {
    return donePages == 0 && alloc == 0;
  }

  /** Lays one fragment into the page; the caller has checked that it fits. */
  void addFragment(int type, byte[] data, int off, int len) {
    crc.reset();
    crc.update(data, off, len);
    int c = (int) crc.getValue();
    int at = alloc;
    page[at] = (byte) type;
    page[at + 1] = (byte) (len >>> 8);
    page[at + 2] = (byte) len;
    page[at + 3] = (byte) (c >>> 24);
    page[at + 4] = (byte) (c >>> 16);
    page[at + 5] = (byte) (c >>> 8);
    page[at + 6] = (byte) c;
    System.arraycopy(data, off, page, at + HEADER_SIZE, len);
    alloc += HEADER_SIZE + len;
  }

  /**
   * Writes the unwritten part of the page. With {@code complete}, or when no header fits any more,
   * the page is first padded with zeros to its end and a fresh page starts.
   */
  void flushPage(boolean complete) throws IOException {
    boolean finish = complete || pageFull();
    if (finish) {
      alloc = PAGE_SIZE; // the page is kept zeroed beyond alloc
    }
    pageBuf.limit(alloc).position(flushed);
    while (pageBuf.hasRemaining()) {
      ch.write(pageBuf);
    }
    flushed = alloc;
    if (finish) {
      Arrays.fill(page, (byte) 0);
      alloc = 0;
      flushed = 0;
      donePages++;
    }
  }

  void sync() throws IOException {
    ch.force(true);
  }

  /** Pads the last page if it holds anything, syncs and closes, as Prometheus does. */
  @Override
  public void close() throws IOException {
    try (ch) {
      if (alloc > 0) {
        flushPage(true);
      }
      ch.force(true);
    }
  }
}
