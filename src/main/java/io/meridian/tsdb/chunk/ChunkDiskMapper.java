package io.meridian.tsdb.chunk;

import io.meridian.storage.Chunk;
import io.meridian.storage.ChunkEncoding;
import io.meridian.storage.CorruptDataException;
import io.meridian.util.Decbuf;
import io.meridian.util.Encbuf;
import io.meridian.util.MappedFile;
import java.io.Closeable;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * The head's full chunks on disk, in Prometheus's {@code chunks_head/} format, so the heap holds
 * only each series' open chunk. Files are preallocated to their maximum size and mapped read-only
 * whole; chunks are written through the file descriptor (so writing does not grow the process's
 * resident memory) and read from the mapping without copying.
 *
 * <pre>
 * file:  magic 0x0130BC91 (4) │ version 1 (1) │ padding (3) │ chunk*
 * chunk: series ref (8) │ mint (8) │ maxt (8) │ encoding (1) │ uvarint len │ data │ crc32c (4)
 * </pre>
 *
 * The checksum covers everything from the series ref to the end of the data. A chunk's reference is
 * {@code file sequence << 32 | offset}. Thread-safe.
 */
public final class ChunkDiskMapper implements Closeable {
  public static final int MAGIC = 0x0130BC91;
  public static final int VERSION = 1;
  public static final int HEADER_SIZE = 8;
  public static final long DEFAULT_MAX_FILE_SIZE = 128L << 20;
  private static final int BUFFER_SIZE = 1 << 16;

  private final Path dir;
  private final long maxFileSize;
  private final TreeMap<Integer, MappedFile> files = new TreeMap<>();
  private final TreeMap<Integer, Long> fileMaxTime = new TreeMap<>();

  /** Deleted files whose mappings stay open a while for queries still reading them. */
  private final List<Retired> retired = new ArrayList<>();

  private record Retired(MappedFile file, long atNanos) {}

  /** How long a deleted file stays mapped: longer than any query runs. */
  private static final long GRACE_NANOS = 10L * 60 * 1_000_000_000L;

  private final io.meridian.util.Clock clock;
  private final Encbuf head = new Encbuf(64);
  private final byte[] buffer = new byte[BUFFER_SIZE];
  private int buffered;
  private FileChannel current;
  private int seq;
  private long writePos; // logical end of the current file, buffered bytes included
  private long flushedPos;

  private ChunkDiskMapper(Path dir, long maxFileSize, io.meridian.util.Clock clock) {
    this.dir = dir;
    this.maxFileSize = maxFileSize;
    this.clock = clock;
  }

  /**
   * Opens {@code dir} for a head that rebuilds itself from the WAL: chunk files left by an earlier
   * run are removed (their data is in the WAL) and writing starts afresh.
   */
  public static ChunkDiskMapper open(Path dir, long maxFileSize, io.meridian.util.Clock clock)
      throws IOException {
    Files.createDirectories(dir);
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p : s.toList()) {
        Files.deleteIfExists(p);
      }
    }
    return new ChunkDiskMapper(dir, maxFileSize, clock);
  }

  /** Appends a full chunk of series {@code seriesRef} and returns its reference. */
  public synchronized long write(long seriesRef, long mint, long maxt, Chunk chunk)
      throws IOException {
    ByteBuffer data = chunk.bytes();
    int n = data.remaining();
    head.reset().putBE64(seriesRef).putBE64(mint).putBE64(maxt).putByte(chunk.encoding().code());
    head.putUvarint(n);
    long size = head.len() + n + 4L;
    if (current == null || writePos + size > maxFileSize) {
      cut(size);
    }
    long ref = ((long) seq << 32) | writePos;
    CRC32C crc = new CRC32C();
    crc.update(head.array(), 0, head.len());
    crc.update(data.duplicate());
    put(head.array(), 0, head.len());
    putBuffer(data);
    head.reset().putBE32((int) crc.getValue());
    put(head.array(), 0, 4);
    fileMaxTime.merge(seq, maxt, Math::max);
    return ref;
  }

  private void put(byte[] b, int off, int len) throws IOException {
    while (len > 0) {
      if (buffered == buffer.length) {
        flush();
      }
      int k = Math.min(len, buffer.length - buffered);
      System.arraycopy(b, off, buffer, buffered, k);
      buffered += k;
      off += k;
      len -= k;
      writePos += k;
    }
  }

  private void putBuffer(ByteBuffer data) throws IOException {
    while (data.hasRemaining()) {
      if (buffered == buffer.length) {
        flush();
      }
      int k = Math.min(data.remaining(), buffer.length - buffered);
      data.get(buffer, buffered, k);
      buffered += k;
      writePos += k;
    }
  }

  private void flush() throws IOException {
    ByteBuffer b = ByteBuffer.wrap(buffer, 0, buffered);
    while (b.hasRemaining()) {
      current.write(b, flushedPos + b.position());
    }
    flushedPos += buffered;
    buffered = 0;
  }

  private void cut(long need) throws IOException {
    if (need + HEADER_SIZE > maxFileSize) {
      throw new IOException("chunk of " + need + " bytes exceeds the head chunk file size");
    }
    finishCurrent();
    seq++;
    Path f = dir.resolve(String.format("%06d", seq));
    try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
      raf.setLength(maxFileSize); // sparse: mapped whole now, filled by writes later
    }
    current = FileChannel.open(f, StandardOpenOption.WRITE);
    files.put(seq, MappedFile.open(f));
    writePos = 0;
    flushedPos = 0;
    Encbuf fileHeader = new Encbuf(HEADER_SIZE); // not `head`: it holds the chunk being written
    fileHeader.putBE32(MAGIC).putByte(VERSION).putByte(0).putByte(0).putByte(0);
    put(fileHeader.array(), 0, fileHeader.len());
  }

  /** Flushes and trims the current file to what was written. */
  private void finishCurrent() throws IOException {
    if (current != null) {
      flush();
      current.truncate(writePos);
      current.close();
      current = null;
    }
  }

  /**
   * The chunk at {@code ref}, its bytes a view of the mapped file, checksum verified.
   *
   * @throws UncheckedIOException with a {@link CorruptDataException} for a bad ref or checksum
   */
  public Chunk chunk(long ref) {
    int s = (int) (ref >>> 32);
    long off = ref & 0xffffffffL;
    MappedFile f;
    synchronized (this) {
      // The header and length come first; the rest of the record is checked once its length is
      // known: a record the buffer split has its start in the file and its end in the buffer.
      flushIfUnwritten(s, off + MAX_RECORD_HEADER);
      f = files.get(s);
    }
    if (f == null) {
      throw new UncheckedIOException(
          new CorruptDataException("head chunk ref " + Long.toHexString(ref) + ": file gone"));
    }
    try {
      Decbuf d = new Decbuf(f.segment(), off, f.size());
      d.skip(24);
      int enc = d.readByte();
      int len = d.readUvarint32();
      long dataAt = d.position();
      d.skip(len);
      synchronized (this) {
        flushIfUnwritten(s, dataAt + len + 4);
      }
      int want = d.readBE32();
      int got = Decbuf.crc32c(f.segment(), off, dataAt + len);
      if (want != got || ChunkEncoding.ofCode(enc) != ChunkEncoding.XOR) {
        throw new UncheckedIOException(
            new CorruptDataException("head chunk at " + off + " in " + f.path() + " is corrupt"));
      }
      return new XorChunk(f.segment().asSlice(dataAt, len).asByteBuffer());
    } catch (Decbuf.DecodeException | IllegalArgumentException e) {
      throw new UncheckedIOException(
          new CorruptDataException(
              "head chunk at " + off + " in " + f.path() + ": " + e.getMessage()));
    }
  }

  /** Longest record header: series ref, mint, maxt, encoding and a 5-byte length. */
  private static final int MAX_RECORD_HEADER = 8 + 8 + 8 + 1 + 5;

  /** Writes out the buffer if bytes before {@code end} of file {@code s} are still in it. */
  private void flushIfUnwritten(int s, long end) {
    if (s == seq && current != null && end > flushedPos) {
      try {
        flush();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /**
   * Deletes the files whose chunks all end before {@code mint}, except the one being written. Their
   * mappings are released some minutes later, so queries still reading them finish first (on Linux
   * a deleted file stays readable while mapped).
   */
  public synchronized void truncateBefore(long mint) throws IOException {
    long now = clock.nanos();
    retired.removeIf(r -> {
      if (now - r.atNanos() < GRACE_NANOS) {
        return false;
      }
      r.file().close();
      return true;
    });
    List<Integer> drop = new ArrayList<>();
    fileMaxTime.forEach((s, maxt) -> {
      if (maxt < mint && s != seq) {
        drop.add(s);
      }
    });
    for (int s : drop) {
      MappedFile f = files.remove(s);
      fileMaxTime.remove(s);
      if (f != null) {
        Files.deleteIfExists(f.path());
        retired.add(new Retired(f, now));
      }
    }
  }

  @Override
  public synchronized void close() throws IOException {
    finishCurrent();
    files.values().forEach(MappedFile::close);
    files.clear();
    retired.forEach(r -> r.file().close());
    retired.clear();
  }
}
