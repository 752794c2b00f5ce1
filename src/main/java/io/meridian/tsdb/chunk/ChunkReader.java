package io.meridian.tsdb.chunk;

import io.meridian.storage.Chunk;
import io.meridian.storage.ChunkEncoding;
import io.meridian.storage.CorruptDataException;
import io.meridian.util.Decbuf;
import io.meridian.util.MappedFile;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reads chunks from a block's memory-mapped segment files. Each chunk's checksum is verified when
 * it is read. Thread-safe; {@link #close()} after all readers are done.
 */
public final class ChunkReader implements Closeable {
  private static final ValueLayout.OfInt BE32 =
      ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

  private final List<MappedFile> segments;

  private ChunkReader(List<MappedFile> segments) {
    this.segments = segments;
  }

  /** Maps every segment file of {@code dir}, checking their headers. */
  public static ChunkReader open(Path dir) throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(p -> p.getFileName().toString().matches("\\d{6}")).sorted().toList();
    }
    List<MappedFile> mapped = new ArrayList<>();
    try {
      for (int i = 0; i < files.size(); i++) {
        Path f = files.get(i);
        if (!f.getFileName().toString().equals(ChunkSegmentFormat.segmentName(i))) {
          throw new CorruptDataException("chunk segments of " + dir + " not contiguous at " + f);
        }
        MappedFile m = MappedFile.open(f);
        mapped.add(m);
        MemorySegment seg = m.segment();
        if (seg.byteSize() < ChunkSegmentFormat.HEADER_SIZE
            || seg.get(BE32, 0) != ChunkSegmentFormat.MAGIC) {
          throw new CorruptDataException("chunk segment " + f + ": bad header");
        }
        int version = seg.get(ValueLayout.JAVA_BYTE, 4);
        if (version != ChunkSegmentFormat.VERSION) {
          throw new CorruptDataException("chunk segment " + f + ": unknown version " + version);
        }
      }
      return new ChunkReader(mapped);
    } catch (IOException | RuntimeException e) {
      mapped.forEach(MappedFile::close);
      throw e;
    }
  }

  /**
   * The chunk at {@code ref}, its bytes a view of the mapped file.
   *
   * @throws UncheckedIOException with a {@link CorruptDataException} if the reference is bad or the
   *     checksum does not match
   */
  public Chunk chunk(long ref) {
    int s = ChunkSegmentFormat.segment(ref);
    long off = ChunkSegmentFormat.offset(ref);
    if (s >= segments.size()) {
      throw corrupt("chunk ref " + Long.toHexString(ref) + " names a missing segment");
    }
    MappedFile f = segments.get(s);
    try {
      Decbuf d = new Decbuf(f.segment(), off, f.size());
      int len = d.readUvarint32();
      long encAt = d.position();
      int enc = d.readByte();
      d.skip(len);
      int want = d.readBE32();
      int got = Decbuf.crc32c(f.segment(), encAt, encAt + 1 + len);
      if (want != got) {
        throw corrupt("chunk checksum mismatch in " + f.path() + " at " + off);
      }
      if (ChunkEncoding.ofCode(enc) != ChunkEncoding.XOR) {
        throw corrupt("unsupported chunk encoding " + enc);
      }
      return new XorChunk(f.segment().asSlice(encAt + 1, len).asByteBuffer());
    } catch (Decbuf.DecodeException | IllegalArgumentException e) {
      throw corrupt("chunk at " + off + " in " + f.path() + ": " + e.getMessage());
    }
  }

  private static UncheckedIOException corrupt(String msg) {
    return new UncheckedIOException(new CorruptDataException(msg));
  }

  @Override
  public void close() {
    segments.forEach(MappedFile::close);
  }
}
