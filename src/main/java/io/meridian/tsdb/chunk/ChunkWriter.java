package io.meridian.tsdb.chunk;

import io.meridian.storage.Chunk;
import io.meridian.util.Encbuf;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Appends chunks to a block's segment files (see {@link ChunkSegmentFormat}), starting a new file
 * before one would pass the size limit. {@link #close()} syncs every file. Not thread-safe.
 */
public final class ChunkWriter implements Closeable {
  private final Path dir;
  private final long maxSegmentSize;
  private final Encbuf head = new Encbuf(16);
  private final List<Path> files = new ArrayList<>();
  private OutputStream out;
  private long pos;

  public ChunkWriter(Path dir) throws IOException {
    this(dir, ChunkSegmentFormat.MAX_SEGMENT_SIZE);
  }

  /** With a smaller segment size limit, for tests. */
  public ChunkWriter(Path dir, long maxSegmentSize) throws IOException {
    this.dir = Files.createDirectories(dir);
    this.maxSegmentSize = maxSegmentSize;
  }

  /** Writes {@code chunk} covering {@code [minTime, maxTime]} and returns where it went. */
  public ChunkMeta write(Chunk chunk, long minTime, long maxTime) throws IOException {
    ByteBuffer data = chunk.bytes();
    int n = data.remaining();
    head.reset().putUvarint(n).putByte(chunk.encoding().code());
    long size = head.len() + n + 4L;
    if (out == null || pos + size > maxSegmentSize) {
      cut();
    }
    long ref = ChunkSegmentFormat.ref(files.size() - 1, pos);
    java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
    crc.update(head.array(), head.len() - 1, 1);
    byte[] bytes = new byte[n];
    data.get(bytes);
    crc.update(bytes);
    out.write(head.array(), 0, head.len());
    out.write(bytes);
    head.reset().putBE32((int) crc.getValue());
    out.write(head.array(), 0, 4);
    pos += size;
    return new ChunkMeta(ref, minTime, maxTime);
  }

  private void cut() throws IOException {
    if (out != null) {
      out.close();
    }
    Path f = dir.resolve(ChunkSegmentFormat.segmentName(files.size()));
    files.add(f);
    out = new BufferedOutputStream(Files.newOutputStream(f), 1 << 16);
    Encbuf header = new Encbuf(ChunkSegmentFormat.HEADER_SIZE);
    header.putBE32(ChunkSegmentFormat.MAGIC).putByte(ChunkSegmentFormat.VERSION);
    header.putByte(0).putByte(0).putByte(0);
    out.write(header.array(), 0, header.len());
    pos = ChunkSegmentFormat.HEADER_SIZE;
  }

  @Override
  public void close() throws IOException {
    if (out != null) {
      out.close();
      out = null;
    }
    for (Path f : files) {
      try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
        ch.force(true);
      }
    }
  }
}
