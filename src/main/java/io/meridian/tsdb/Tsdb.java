package io.meridian.tsdb;

import io.meridian.model.Matcher;
import io.meridian.storage.Appender;
import io.meridian.storage.ChunkQuerier;
import io.meridian.storage.CorruptDataException;
import io.meridian.storage.MergeQuerier;
import io.meridian.storage.Querier;
import io.meridian.storage.Storage;
import io.meridian.tsdb.block.Block;
import io.meridian.tsdb.block.BlockMeta;
import io.meridian.tsdb.block.BlockWriter;
import io.meridian.tsdb.block.MergeChunkQuerier;
import io.meridian.tsdb.block.Ulid;
import io.meridian.tsdb.chunk.ChunkDiskMapper;
import io.meridian.tsdb.head.Head;
import io.meridian.tsdb.head.HeadOptions;
import io.meridian.tsdb.head.WalJournal;
import io.meridian.tsdb.head.WalReplay;
import io.meridian.tsdb.wal.Compression;
import io.meridian.tsdb.wal.Wal;
import io.meridian.tsdb.wal.WalTruncator;
import io.meridian.util.Clock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A data directory in Prometheus's layout, open for reading and writing: the head (with its WAL in
 * {@code wal/}) and the blocks beside it. Queries span both. {@link #compact()} cuts the head into
 * blocks, compacts blocks and applies retention; the server calls it periodically.
 *
 * <p>Thread-safe. Appends and queries run concurrently with compaction.
 */
public final class Tsdb implements Storage {
  private static final Logger log = LoggerFactory.getLogger(Tsdb.class);
  static final String QUARANTINE_DIR = "quarantine";

  private final Path dir;
  private final TsdbOptions options;
  private final Head head;
  private final Wal wal;
  private final ChunkDiskMapper mapper;
  private final BlockWriter blockWriter;
  private final CompactionPlanner planner;
  private final Object compactionLock = new Object();
  private volatile List<Block> blocks;
  private final WalTruncator walTruncator;

  private final LongAdder compactions = new LongAdder();
  private final LongAdder headCompactions = new LongAdder();
  private final LongAdder retentionDeletions = new LongAdder();
  private final LongAdder quarantined = new LongAdder();
  private final WalReplay.Result replay;

  private Tsdb(
      Path dir,
      TsdbOptions options,
      Clock clock,
      Head head,
      Wal wal,
      ChunkDiskMapper mapper,
      List<Block> blocks,
      WalReplay.Result replay,
      long quarantinedAtOpen) {
    this.mapper = mapper;
    this.dir = dir;
    this.options = options;
    this.head = head;
    this.wal = wal;
    this.walTruncator =
        new WalTruncator(wal, options.walCompression() ? Compression.SNAPPY : Compression.NONE);
    this.blocks = blocks;
    this.replay = replay;
    this.blockWriter = new BlockWriter(dir, clock);
    this.planner =
        new CompactionPlanner(
            options.blockDuration().toMillis(), options.maxBlockDuration().toMillis());
    this.quarantined.add(quarantinedAtOpen);
  }

  /**
   * Opens (or creates) a data directory: loads its blocks, quarantining any that do not check out,
   * replays the WAL into the head, and starts a new WAL segment.
   */
  public static Tsdb open(Path dir, TsdbOptions options, Clock clock) throws IOException {
    Files.createDirectories(dir);
    cleanLeftovers(dir);
    List<Block> blocks = new ArrayList<>();
    long quarantined = 0;
    for (Path d : blockDirs(dir)) {
      try {
        blocks.add(Block.open(d));
      } catch (CorruptDataException e) {
        quarantine(dir, d, e);
        quarantined++;
      }
    }
    blocks.sort(Comparator.comparingLong((Block b) -> b.meta().minTime()));
    Path walDir = dir.resolve("wal");
    Head head;
    Wal wal = null;
    ChunkDiskMapper mapper = null;
    try {
      mapper =
          ChunkDiskMapper.open(
              dir.resolve("chunks_head"), ChunkDiskMapper.DEFAULT_MAX_FILE_SIZE, clock);
      Head replayHead = new Head(headOptions(options), io.meridian.tsdb.head.Journal.NONE, mapper);
      if (!blocks.isEmpty()) {
        replayHead.setMinValidTime(blocks.getLast().meta().maxTime());
      }
      WalReplay.Result result = new WalReplay(replayHead, clock).replay(walDir);
      wal =
          Wal.open(
              walDir,
              options.walSegmentSize(),
              options.walCompression() ? Compression.SNAPPY : Compression.NONE);
      head = replayHead;
      head.setJournal(new WalJournal(wal));
      return new Tsdb(dir, options, clock, head, wal, mapper, blocks, result, quarantined);
    } catch (IOException | RuntimeException e) {
      blocks.forEach(Block::close);
      if (wal != null) {
        wal.close();
      }
      if (mapper != null) {
        mapper.close();
      }
      throw e;
    }
  }

  private static HeadOptions headOptions(TsdbOptions o) {
    return new HeadOptions(
        o.blockDuration().toMillis(),
        120,
        o.outOfOrderWindow().toMillis(),
        true,
        o.maxHeadSeries());
  }

  static List<Path> blockDirs(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(Files::isDirectory)
          .filter(p -> Ulid.isUlid(p.getFileName().toString()))
          .sorted()
          .toList();
    }
  }

  /** Removes half-written blocks and half-deleted ones from an earlier crash. */
  private static void cleanLeftovers(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p : s.toList()) {
        String n = p.getFileName().toString();
        if (n.endsWith(".tmp-for-creation") || n.endsWith(".tmp-for-deletion")) {
          deleteRecursively(p);
        }
      }
    }
  }

  private static void quarantine(Path dir, Path block, CorruptDataException e) throws IOException {
    Path q = Files.createDirectories(dir.resolve(QUARANTINE_DIR)).resolve(block.getFileName());
    Files.move(block, q, StandardCopyOption.ATOMIC_MOVE);
    log.error(
        "block {} is corrupt and was moved to {}; the rest of the data is served: {}",
        block.getFileName(),
        q,
        e.getMessage());
  }

  public Path dir() {
    return dir;
  }

  public Head head() {
    return head;
  }

  /** The WAL's directory ({@code wal/}). */
  public Path walDir() {
    return wal.dir();
  }

  /** The index of the WAL segment being written. */
  public int walSegment() {
    return wal.currentSegment();
  }

  /**
   * Keeps the WAL segments from {@code lowestNeeded} on (asked at every truncation) out of
   * checkpoints until the reader moves past them, as a remote write queue needs while its remote is
   * down. The reader bounds how far back it holds; the TSDB does not.
   */
  public WalTruncator.Hold holdWal(IntSupplier lowestNeeded) {
    return walTruncator.hold(lowestNeeded);
  }

  /** The blocks, oldest first. */
  public List<Block> blocks() {
    return blocks;
  }

  public WalReplay.Result replayResult() {
    return replay;
  }

  @Override
  public Appender appender() {
    return head.appender();
  }

  @Override
  public Querier querier(long mint, long maxt) {
    List<Querier> qs = new ArrayList<>();
    for (Block b : blocks) {
      if (b.meta().maxTime() > mint && b.meta().minTime() <= maxt) {
        try {
          qs.add(b.querier(mint, maxt));
        } catch (IllegalStateException closedMeanwhile) {
          // Compaction replaced the block between listing and opening; its data is elsewhere.
        }
      }
    }
    if (headOverlaps(mint, maxt)) {
      qs.add(head.querier(mint, maxt));
    }
    return MergeQuerier.of(qs);
  }

  @Override
  public ChunkQuerier chunkQuerier(long mint, long maxt) {
    List<ChunkQuerier> qs = new ArrayList<>();
    for (Block b : blocks) {
      if (b.meta().maxTime() > mint && b.meta().minTime() <= maxt) {
        try {
          qs.add(b.chunkQuerier(mint, maxt));
        } catch (IllegalStateException closedMeanwhile) {
          // As above.
        }
      }
    }
    if (headOverlaps(mint, maxt)) {
      qs.add(head.chunkQuerier(mint, maxt));
    }
    return new MergeChunkQuerier(qs);
  }

  /**
   * Whether the head holds samples in {@code [mint, maxt]}: a query of a time the head has nothing
   * for (e.g. {@code /federate} of a stopped server's data) then does not walk every head series.
   */
  private boolean headOverlaps(long mint, long maxt) {
    return head.minTime() <= maxt && head.maxTime() >= mint;
  }

  /**
   * One round of housekeeping: cuts every full block range out of the head, compacts blocks, and
   * deletes blocks past retention. Safe to call at any time; rounds do not overlap.
   */
  public void compact() throws IOException {
    synchronized (compactionLock) {
      while (compactHead()) {
        // Keep cutting while the head spans more than one and a half block ranges.
      }
      while (compactBlocks()) {
        // Each pass merges one group.
      }
      applyRetention();
    }
  }

  private boolean compactHead() throws IOException {
    long range = options.blockDuration().toMillis();
    long min = head.minTime();
    long max = head.maxTime();
    if (min == Long.MAX_VALUE || max - min <= range * 3 / 2) {
      return false;
    }
    long start = Math.floorDiv(min, range) * range;
    long end = start + range;
    BlockMeta meta;
    try (ChunkQuerier q = head.chunkQuerier(start, end - 1)) {
      meta = blockWriter.write(q, start, end, 1, List.of());
    }
    if (meta != null) {
      addBlocks(List.of(Block.open(dir.resolve(meta.ulid().value()))), List.of());
      log.info(
          "cut block {} [{}, {}) from the head: {} series, {} samples",
          meta.ulid(),
          start,
          end,
          meta.numSeries(),
          meta.numSamples());
    }
    headCompactions.increment();
    walTruncator.seriesRemoved(head.truncate(end));
    walTruncator.truncate(head::hasSeries, end, 2.0 / 3);
    return true;
  }

  private boolean compactBlocks() throws IOException {
    List<BlockMeta> metas = blocks.stream().map(Block::meta).toList();
    List<BlockMeta> plan = planner.plan(metas);
    if (plan.isEmpty()) {
      return false;
    }
    List<Block> sources = new ArrayList<>();
    for (Block b : blocks) {
      if (plan.contains(b.meta())) {
        sources.add(b);
      }
    }
    long mint = sources.stream().mapToLong(b -> b.meta().minTime()).min().orElseThrow();
    long maxt = sources.stream().mapToLong(b -> b.meta().maxTime()).max().orElseThrow();
    int level = sources.stream().mapToInt(b -> b.meta().level()).max().orElse(1) + 1;
    List<Ulid> ancestors = new ArrayList<>();
    sources.forEach(b -> ancestors.addAll(b.meta().sources()));
    List<ChunkQuerier> qs = new ArrayList<>();
    for (Block b : sources) {
      qs.add(b.chunkQuerier(mint, maxt - 1));
    }
    BlockMeta meta;
    try (ChunkQuerier merged = new MergeChunkQuerier(qs)) {
      meta = blockWriter.write(merged, mint, maxt, level, ancestors);
    }
    List<Block> added =
        meta == null ? List.of() : List.of(Block.open(dir.resolve(meta.ulid().value())));
    addBlocks(added, sources);
    compactions.increment();
    log.info(
        "compacted {} blocks into {} [{}, {})",
        sources.size(),
        meta == null ? "nothing" : meta.ulid(),
        mint,
        maxt);
    return true;
  }

  private void applyRetention() throws IOException {
    List<Block> current = blocks;
    if (current.isEmpty()) {
      return;
    }
    List<Block> drop = new ArrayList<>();
    long retention = options.retentionTime().toMillis();
    if (retention > 0) {
      long newest = Math.max(current.getLast().meta().maxTime(), head.maxTime());
      for (Block b : current) {
        if (b.meta().maxTime() <= newest - retention) {
          drop.add(b);
        }
      }
    }
    if (options.retentionSizeBytes() > 0) {
      long size = sizeOf(dir.resolve("wal"));
      List<Block> newestFirst = new ArrayList<>(current);
      newestFirst.sort(Comparator.comparingLong((Block b) -> b.meta().maxTime()).reversed());
      for (Block b : newestFirst) {
        size += sizeOf(b.dir());
        if (size > options.retentionSizeBytes() && !drop.contains(b)) {
          drop.add(b);
        }
      }
    }
    if (!drop.isEmpty()) {
      addBlocks(List.of(), drop);
      retentionDeletions.add(drop.size());
      log.info("retention deleted {} blocks", drop.size());
    }
  }

  /**
   * Deletes {@code [mint, maxt]} (inclusive) from every series matching all {@code matchers}, in
   * the head and in the blocks, as Prometheus's admin API does: tombstones hide the data at once,
   * and compaction or {@link #cleanTombstones} drops it from disk. Returns the number of series
   * marked (a series in the head and in two blocks counts three times).
   */
  public long delete(long mint, long maxt, List<Matcher> matchers) throws IOException {
    if (mint > maxt) {
      throw new IllegalArgumentException("start " + mint + " is after end " + maxt);
    }
    synchronized (compactionLock) {
      long n = head.delete(mint, maxt, matchers);
      for (Block b : blocks) {
        if (b.meta().minTime() <= maxt && mint < b.meta().maxTime()) {
          n += b.delete(mint, maxt, matchers);
        }
      }
      return n;
    }
  }

  /**
   * Rewrites every block that has tombstones without the deleted data, as Prometheus's {@code
   * clean_tombstones} does. Returns the number of blocks rewritten.
   */
  public int cleanTombstones() throws IOException {
    synchronized (compactionLock) {
      int n = 0;
      for (Block b : blocks) {
        if (b.meta().numTombstones() == 0) {
          continue;
        }
        BlockMeta old = b.meta();
        BlockMeta meta;
        try (ChunkQuerier q = b.chunkQuerier(old.minTime(), old.maxTime() - 1)) {
          meta =
              blockWriter.write(
                  q,
                  old.minTime(),
                  old.maxTime(),
                  old.level(),
                  old.level() == 1 ? List.of() : old.sources());
        }
        List<Block> added =
            meta == null ? List.of() : List.of(Block.open(dir.resolve(meta.ulid().value())));
        addBlocks(added, List.of(b));
        log.info(
            "rewrote block {} without its deleted data as {}",
            old.ulid(),
            meta == null ? "nothing (all of it was deleted)" : meta.ulid());
        n++;
      }
      return n;
    }
  }

  /** Swaps blocks in and out; removed blocks are closed (when their readers finish) and deleted. */
  private void addBlocks(List<Block> add, List<Block> remove) throws IOException {
    List<Block> next = new ArrayList<>(blocks);
    next.removeAll(remove);
    next.addAll(add);
    next.sort(Comparator.comparingLong((Block b) -> b.meta().minTime()));
    blocks = List.copyOf(next);
    if (!add.isEmpty()) {
      head.setMinValidTime(next.getLast().meta().maxTime());
    }
    for (Block b : remove) {
      b.close();
      Path doomed = b.dir().resolveSibling(b.dir().getFileName() + ".tmp-for-deletion");
      Files.move(b.dir(), doomed, StandardCopyOption.ATOMIC_MOVE);
      deleteRecursively(doomed); // open mappings stay valid on Linux until readers close them
    }
  }

  static long sizeOf(Path p) throws IOException {
    if (!Files.exists(p)) {
      return 0;
    }
    try (Stream<Path> s = Files.walk(p)) {
      long total = 0;
      for (Path f : s.filter(Files::isRegularFile).toList()) {
        total += Files.size(f);
      }
      return total;
    }
  }

  private static void deleteRecursively(Path p) throws IOException {
    try (Stream<Path> s = Files.walk(p)) {
      for (Path f : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(f);
      }
    }
  }

  /** Counters for self-metrics. */
  public record Stats(
      long blocks,
      long compactions,
      long headCompactions,
      long retentionDeletions,
      long quarantined) {}

  public Stats stats() {
    return new Stats(
        blocks.size(),
        compactions.sum(),
        headCompactions.sum(),
        retentionDeletions.sum(),
        quarantined.sum());
  }

  /** Closes the WAL (synced) and the blocks. The head's data stays in the WAL for the next open. */
  @Override
  public void close() throws IOException {
    synchronized (compactionLock) {
      try {
        wal.close();
        mapper.close();
      } finally {
        blocks.forEach(Block::close);
      }
    }
  }
}
