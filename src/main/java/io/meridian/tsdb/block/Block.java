package io.meridian.tsdb.block;

import io.meridian.model.Matcher;
import io.meridian.storage.ChunkQuerier;
import io.meridian.storage.ChunkQueryable;
import io.meridian.storage.Querier;
import io.meridian.storage.Queryable;
import io.meridian.tsdb.chunk.ChunkMeta;
import io.meridian.tsdb.chunk.ChunkReader;
import io.meridian.tsdb.index.IndexReader;
import io.meridian.tsdb.index.Postings;
import io.meridian.tsdb.index.PostingsForMatchers;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A persistent block opened for reading: meta, index, chunks and tombstones. Queriers hold the
 * block open; {@link #close()} releases the files once the last querier is closed, so compaction
 * and retention can drop a block while queries still read it.
 */
public final class Block implements Queryable, ChunkQueryable, Closeable {
  private final Path dir;
  private volatile BlockMeta meta;
  private final IndexReader index;
  private final ChunkReader chunks;
  private volatile Tombstones tombstones;
  private int readers;
  private boolean closing;
  private boolean released;

  private Block(
      Path dir, BlockMeta meta, IndexReader index, ChunkReader chunks, Tombstones tombstones) {
    this.dir = dir;
    this.meta = meta;
    this.index = index;
    this.chunks = chunks;
    this.tombstones = tombstones;
  }

  /**
   * Opens the block in {@code dir}, checking what can be checked cheaply (meta, index header, TOC,
   * symbol and postings tables, chunk file headers).
   *
   * @throws io.meridian.storage.CorruptDataException naming the file when something is wrong
   */
  public static Block open(Path dir) throws IOException {
    BlockMeta meta = BlockMeta.read(dir);
    Tombstones tombstones = Tombstones.read(dir);
    IndexReader index = IndexReader.open(dir.resolve("index"));
    try {
      ChunkReader chunks = ChunkReader.open(dir.resolve("chunks"));
      return new Block(dir, meta, index, chunks, tombstones);
    } catch (IOException | RuntimeException e) {
      index.close();
      throw e;
    }
  }

  public Path dir() {
    return dir;
  }

  public BlockMeta meta() {
    return meta;
  }

  IndexReader index() {
    return index;
  }

  ChunkReader chunks() {
    return chunks;
  }

  Tombstones tombstones() {
    return tombstones;
  }

  /**
   * Marks {@code [mint, maxt]} deleted in every series matching all {@code matchers} that has data
   * there, as Prometheus does: the range, clamped to the series' data, becomes a tombstone, written
   * to the block's {@code tombstones} file and counted in {@code meta.json}. Queries started before
   * the call keep their view. Returns the number of series that got a tombstone.
   */
  public synchronized long delete(long mint, long maxt, List<Matcher> matchers) throws IOException {
    Tombstones next = tombstones;
    long touched = 0;
    Postings p = PostingsForMatchers.select(index, matchers);
    List<ChunkMeta> metas = new ArrayList<>();
    while (p.next()) {
      long id = p.at();
      index.series(id, metas);
      boolean overlaps = false;
      for (ChunkMeta m : metas) {
        overlaps |= m.overlaps(mint, maxt);
      }
      if (overlaps) {
        long lo = Math.max(mint, metas.getFirst().minTime());
        long hi = Math.min(maxt, metas.getLast().maxTime());
        next = next.with(id, lo, hi);
        touched++;
      }
    }
    if (touched > 0) {
      next.write(dir);
      BlockMeta m = meta;
      BlockMeta updated =
          new BlockMeta(
              m.ulid(),
              m.minTime(),
              m.maxTime(),
              m.numSamples(),
              m.numSeries(),
              m.numChunks(),
              next.count(),
              m.level(),
              m.sources());
      updated.write(dir);
      tombstones = next;
      meta = updated;
    }
    return touched;
  }

  @Override
  public Querier querier(long mint, long maxt) {
    acquire();
    return new BlockQuerier.Samples(this, mint, maxt);
  }

  @Override
  public ChunkQuerier chunkQuerier(long mint, long maxt) {
    acquire();
    return new BlockQuerier.Chunks(this, mint, maxt);
  }

  private synchronized void acquire() {
    if (closing) {
      throw new IllegalStateException("block " + dir + " is closed");
    }
    readers++;
  }

  synchronized void release() {
    readers--;
    maybeRelease();
  }

  @Override
  public synchronized void close() {
    closing = true;
    maybeRelease();
  }

  private void maybeRelease() {
    if (closing && readers == 0 && !released) {
      released = true;
      index.close();
      chunks.close();
    }
  }
}
