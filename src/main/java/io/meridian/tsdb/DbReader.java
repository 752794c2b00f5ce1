package io.meridian.tsdb;

import io.meridian.storage.MergeQuerier;
import io.meridian.storage.Querier;
import io.meridian.tsdb.block.Block;
import io.meridian.tsdb.block.Ulid;
import io.meridian.tsdb.head.Head;
import io.meridian.tsdb.head.HeadOptions;
import io.meridian.tsdb.head.Journal;
import io.meridian.tsdb.head.WalReplay;
import io.meridian.util.Clock;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A data directory opened read-only, for tools: its blocks, ordered by time, the head rebuilt from
 * its WAL, and one querier over all of them. It never writes, so it is safe beside a running
 * server.
 */
public final class DbReader implements Closeable {
  private final Path dir;
  private final List<Block> blocks;
  private Head head; // rebuilt from the WAL on first query: listing blocks does not need it

  private DbReader(Path dir, List<Block> blocks) {
    this.dir = dir;
    this.blocks = blocks;
  }

  /**
   * Opens every block directory (named by a ULID) under {@code dir}. Its WAL, if any, is replayed
   * into a head in memory on the first query.
   */
  public static DbReader open(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new IOException("not a directory: " + dir);
    }
    List<Path> dirs;
    try (Stream<Path> s = Files.list(dir)) {
      dirs =
          s.filter(Files::isDirectory)
              .filter(p -> Ulid.isUlid(p.getFileName().toString()))
              .sorted()
              .toList();
    }
    List<Block> blocks = new ArrayList<>();
    try {
      for (Path d : dirs) {
        blocks.add(Block.open(d));
      }
    } catch (IOException | RuntimeException e) {
      blocks.forEach(Block::close);
      throw e;
    }
    blocks.sort(Comparator.comparingLong((Block b) -> b.meta().minTime()));
    return new DbReader(dir, blocks);
  }

  public Path dir() {
    return dir;
  }

  /** The blocks, by minimum time. */
  public List<Block> blocks() {
    return blocks;
  }

  /** The head as the WAL leaves it, replayed once, leaving the files untouched. */
  private synchronized Head head() throws IOException {
    if (head == null) {
      Head h = new Head(HeadOptions.defaults(), Journal.NONE);
      if (!blocks.isEmpty()) {
        h.setMinValidTime(blocks.getLast().meta().maxTime());
      }
      new WalReplay(h, Clock.system()).replay(dir.resolve("wal"), false);
      head = h;
    }
    return head;
  }

  /** A querier over every block and the WAL's head; the caller closes it. */
  public Querier querier(long mint, long maxt) throws IOException {
    Head h = head(); // before opening block queriers, which would leak if the replay failed
    List<Querier> qs = new ArrayList<>();
    for (Block b : blocks) {
      if (b.meta().maxTime() > mint && b.meta().minTime() <= maxt) {
        qs.add(b.querier(mint, maxt));
      }
    }
    qs.add(h.querier(mint, maxt));
    return MergeQuerier.of(qs);
  }

  @Override
  public void close() {
    blocks.forEach(Block::close);
  }
}
