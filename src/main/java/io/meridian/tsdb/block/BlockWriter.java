package io.meridian.tsdb.block;

import io.meridian.model.Labels;
import io.meridian.storage.Chunk;
import io.meridian.storage.ChunkIterator;
import io.meridian.storage.ChunkQuerier;
import io.meridian.storage.ChunkSeries;
import io.meridian.storage.ChunkSeriesSet;
import io.meridian.storage.LabelHints;
import io.meridian.storage.SampleIterator;
import io.meridian.storage.SelectHints;
import io.meridian.tsdb.chunk.ChunkMeta;
import io.meridian.tsdb.chunk.ChunkWriter;
import io.meridian.tsdb.chunk.XorChunk;
import io.meridian.tsdb.chunk.XorEncoder;
import io.meridian.tsdb.index.IndexWriter;
import io.meridian.util.Clock;
import io.meridian.util.Utf8Order;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Writes a block from any chunk-level source: the head when it is cut, blocks when they are
 * compacted, an import. The block is built in {@code <ulid>.tmp-for-creation} and renamed into
 * place when complete, so a crash never leaves a half block under a block's name.
 */
public final class BlockWriter {
  static final String TMP_SUFFIX = ".tmp-for-creation";

  private final Path parent;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();

  public BlockWriter(Path parent, Clock clock) {
    this.parent = parent;
    this.clock = clock;
  }

  /**
   * Writes the samples of {@code source} with {@code mint <= t < maxt} as a new block. Chunks that
   * reach outside the range are re-encoded with only the samples inside it.
   *
   * @return the new block's meta, or null when the source had no samples in the range
   */
  public BlockMeta write(ChunkQuerier source, long mint, long maxt, int level, List<Ulid> sources)
      throws IOException {
    Ulid ulid = Ulid.generate(clock.millis(), random);
    Path tmp = parent.resolve(ulid + TMP_SUFFIX);
    Files.createDirectories(tmp);
    try {
      BlockMeta meta = writeInto(tmp, ulid, source, mint, maxt, level, sources);
      if (meta.numSeries() == 0) {
        deleteRecursively(tmp);
        return null;
      }
      Path dir = parent.resolve(ulid.value());
      Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
      syncDir(parent);
      return meta;
    } catch (IOException | RuntimeException e) {
      deleteRecursively(tmp);
      throw e;
    }
  }

  private BlockMeta writeInto(
      Path dir, Ulid ulid, ChunkQuerier source, long mint, long maxt, int level, List<Ulid> sources)
      throws IOException {
    TreeSet<String> symbols = new TreeSet<>(Utf8Order.COMPARATOR);
    for (String name : source.labelNames(LabelHints.NONE, List.of())) {
      symbols.add(name);
      symbols.addAll(source.labelValues(name, LabelHints.NONE, List.of()));
    }
    long samples = 0;
    long series = 0;
    long chunkCount = 0;
    try (ChunkWriter chunks = new ChunkWriter(dir.resolve("chunks"));
        IndexWriter index = new IndexWriter(dir.resolve("index"))) {
      index.addSymbols(new ArrayList<>(symbols));
      ChunkSeriesSet set = source.select(true, SelectHints.range(mint, maxt - 1), List.of());
      List<ChunkMeta> metas = new ArrayList<>();
      ChunkIterator it = null;
      while (set.next()) {
        ChunkSeries s = set.at();
        Labels labels = s.labels();
        metas.clear();
        it = s.chunks(it);
        while (it.next()) {
          Chunk c = it.chunk();
          long cmin = it.minTime();
          long cmax = it.maxTime();
          if (cmax < mint || cmin >= maxt) {
            continue;
          }
          if (cmin < mint || cmax >= maxt) {
            long[] range = new long[2];
            c = trim(c, mint, maxt, range);
            if (c == null) {
              continue;
            }
            cmin = range[0];
            cmax = range[1];
          }
          metas.add(chunks.write(c, cmin, cmax));
          samples += c.numSamples();
        }
        if (!metas.isEmpty()) {
          index.addSeries(labels, metas);
          series++;
          chunkCount += metas.size();
        }
      }
    }
    Tombstones.empty().write(dir);
    BlockMeta meta =
        new BlockMeta(
            ulid,
            mint,
            maxt,
            samples,
            series,
            chunkCount,
            0,
            level,
            sources.isEmpty() ? List.of(ulid) : sources);
    meta.write(dir);
    syncDir(dir);
    return meta;
  }

  /** Re-encodes the samples of {@code c} within {@code [mint, maxt)}; null if none. */
  private static XorChunk trim(Chunk c, long mint, long maxt, long[] range) {
    XorEncoder e = new XorEncoder();
    SampleIterator s = c.iterator(null);
    while (s.next()) {
      long t = s.t();
      if (t >= mint && t < maxt) {
        if (e.numSamples() == 0) {
          range[0] = t;
        }
        range[1] = t;
        e.append(t, s.v());
      }
    }
    return e.numSamples() == 0 ? null : e.toChunk();
  }

  static void syncDir(Path dir) throws IOException {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    }
  }

  static void deleteRecursively(Path p) throws IOException {
    if (!Files.exists(p)) {
      return;
    }
    try (var walk = Files.walk(p)) {
      for (Path q : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(q);
      }
    }
  }
}
