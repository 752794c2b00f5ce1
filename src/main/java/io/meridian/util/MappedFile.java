package io.meridian.util;

import java.io.Closeable;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A file mapped read-only into memory. {@link #close()} unmaps it at once (a shared arena), so
 * readers must be done with every slice before; a later access throws rather than crashing.
 */
public final class MappedFile implements Closeable {
  private final Path path;
  private final Arena arena;
  private final MemorySegment segment;

  private MappedFile(Path path, Arena arena, MemorySegment segment) {
    this.path = path;
    this.arena = arena;
    this.segment = segment;
  }

  /** Maps the whole file. */
  @SuppressWarnings("MustBeClosedChecker") // the arena is owned and closed by the MappedFile
  public static MappedFile open(Path path) throws IOException {
    Arena arena = Arena.ofShared();
    try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
      MemorySegment seg = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), arena);
      return new MappedFile(path, arena, seg);
    } catch (IOException | RuntimeException e) {
      arena.close();
      throw e;
    }
  }

  public Path path() {
    return path;
  }

  public MemorySegment segment() {
    return segment;
  }

  public long size() {
    return segment.byteSize();
  }

  @Override
  public void close() {
    arena.close();
  }
}
