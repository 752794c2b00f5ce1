package io.meridian.tsdb.block;

import io.meridian.model.Labels;
import io.meridian.model.Matcher;
import io.meridian.storage.Chunk;
import io.meridian.storage.ChunkIterator;
import io.meridian.storage.ChunkQuerier;
import io.meridian.storage.ChunkSeries;
import io.meridian.storage.ChunkSeriesSet;
import io.meridian.storage.LabelHints;
import io.meridian.storage.Querier;
import io.meridian.storage.SelectHints;
import io.meridian.storage.SeriesSet;
import io.meridian.tsdb.chunk.ChunkMeta;
import io.meridian.tsdb.chunk.DeletedFilter;
import io.meridian.tsdb.chunk.Intervals;
import io.meridian.tsdb.index.Postings;
import io.meridian.tsdb.index.PostingsForMatchers;
import java.util.ArrayList;
import java.util.List;

/**
 * Queries one block. Series ids in a block's index are in label order, so results come sorted
 * whether asked or not. Samples in deleted ranges (tombstones) are left out of both views; a chunk
 * that has some is re-encoded without them.
 */
abstract sealed class BlockQuerier implements io.meridian.storage.LabelQuerier {
  final Block block;
  final long mint;
  final long maxt;
  private boolean closed;

  BlockQuerier(Block block, long mint, long maxt) {
    this.block = block;
    this.mint = mint;
    this.maxt = maxt;
  }

  @Override
  public List<String> labelNames(LabelHints hints, List<Matcher> matchers) {
    return matchers.isEmpty()
        ? hints.cut(block.index().labelNames())
        : hints.names(matchingLabels(matchers));
  }

  @Override
  public List<String> labelValues(String name, LabelHints hints, List<Matcher> matchers) {
    return matchers.isEmpty()
        ? hints.cut(block.index().labelValues(name))
        : hints.values(matchingLabels(matchers), name);
  }

  private List<Labels> matchingLabels(List<Matcher> matchers) {
    Postings p = PostingsForMatchers.select(block.index(), matchers);
    List<ChunkMeta> metas = new ArrayList<>();
    List<Labels> out = new ArrayList<>();
    while (p.next()) {
      out.add(block.index().series(p.at(), metas));
    }
    return out;
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      block.release();
    }
  }

  /** The selected series that have chunks in range, chunk metas filtered, as a chunk view. */
  final class Cursor implements ChunkSeriesSet {
    private final Postings postings;
    private final int limit;
    private final Tombstones tombstones = block.tombstones(); // one view for the whole select
    private int returned;
    private ChunkSeries current;

    Cursor(SelectHints hints, List<Matcher> matchers) {
      this.postings = PostingsForMatchers.select(block.index(), matchers);
      this.limit = hints.limit();
    }

    @Override
    public boolean next() {
      List<ChunkMeta> all = new ArrayList<>();
      while ((limit == 0 || returned < limit) && postings.next()) {
        long id = postings.at();
        Labels labels = block.index().series(id, all);
        Intervals deleted = tombstones.of(id);
        List<ChunkMeta> metas = new ArrayList<>();
        for (ChunkMeta m : all) {
          if (m.overlaps(mint, maxt) && !deleted.covers(m.minTime(), m.maxTime())) {
            metas.add(m);
          }
        }
        if (!metas.isEmpty()) {
          returned++;
          current =
              ChunkSeries.of(
                  labels, () -> DeletedFilter.of(new MetaChunkIterator(block, metas), deleted));
          return true;
        }
      }
      return false;
    }

    @Override
    public ChunkSeries at() {
      return current;
    }

    @Override
    public List<String> warnings() {
      return List.of();
    }
  }

  /** The chunks of one series as stored. */
  static final class MetaChunkIterator implements ChunkIterator {
    private final Block block;
    private final List<ChunkMeta> metas;
    private int i = -1;

    MetaChunkIterator(Block block, List<ChunkMeta> metas) {
      this.block = block;
      this.metas = metas;
    }

    @Override
    public boolean next() {
      return ++i < metas.size();
    }

    @Override
    public long minTime() {
      return metas.get(i).minTime();
    }

    @Override
    public long maxTime() {
      return metas.get(i).maxTime();
    }

    @Override
    public Chunk chunk() {
      return block.chunks().chunk(metas.get(i).ref());
    }
  }

  static final class Samples extends BlockQuerier implements Querier {
    Samples(Block block, long mint, long maxt) {
      super(block, mint, maxt);
    }

    @Override
    public SeriesSet select(boolean sorted, SelectHints hints, List<Matcher> matchers) {
      return SeriesSet.fromChunks(new Cursor(hints, matchers), mint, maxt);
    }
  }

  static final class Chunks extends BlockQuerier implements ChunkQuerier {
    Chunks(Block block, long mint, long maxt) {
      super(block, mint, maxt);
    }

    @Override
    public ChunkSeriesSet select(boolean sorted, SelectHints hints, List<Matcher> matchers) {
      return new Cursor(hints, matchers);
    }
  }
}
