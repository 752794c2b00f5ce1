package io.meridian.tsdb.block;

import io.meridian.model.Labels;
import io.meridian.model.Matcher;
import io.meridian.storage.Chunk;
import io.meridian.storage.ChunkIterator;
import io.meridian.storage.ChunkQuerier;
import io.meridian.storage.ChunkSeries;
import io.meridian.storage.ChunkSeriesSet;
import io.meridian.storage.LabelHints;
import io.meridian.storage.LabelsMerge;
import io.meridian.storage.SampleIterator;
import io.meridian.storage.SelectHints;
import io.meridian.tsdb.chunk.XorEncoder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Several chunk queriers as one, for compaction and remote read over head and blocks. A series in
 * several sources gets all their chunks in time order; where chunks overlap (out-of-order data,
 * overlapping blocks) they are decoded, merged by timestamp (the earlier source wins a tie) and
 * re-encoded into chunks of at most 120 samples.
 */
public final class MergeChunkQuerier implements ChunkQuerier {
  private static final int SAMPLES_PER_CHUNK = 120;
  private final List<ChunkQuerier> queriers;

  public MergeChunkQuerier(List<ChunkQuerier> queriers) {
    this.queriers = List.copyOf(queriers);
  }

  @Override
  public ChunkSeriesSet select(boolean sorted, SelectHints hints, List<Matcher> matchers) {
    List<ChunkSeriesSet> sets = new ArrayList<>();
    SelectHints each = new SelectHints(hints.start(), hints.end(), hints.step(), hints.func(), 0);
    for (ChunkQuerier q : queriers) {
      sets.add(q.select(true, each, matchers));
    }
    return new MergedSet(sets, hints.limit());
  }

  @Override
  public List<String> labelValues(String name, LabelHints hints, List<Matcher> matchers) {
    return hints.union(queriers.stream().map(q -> q.labelValues(name, hints, matchers)).toList());
  }

  @Override
  public List<String> labelNames(LabelHints hints, List<Matcher> matchers) {
    return hints.union(queriers.stream().map(q -> q.labelNames(hints, matchers)).toList());
  }

  @Override
  public void close() {
    queriers.forEach(ChunkQuerier::close);
  }

  private static final class MergedSet implements ChunkSeriesSet {
    private final LabelsMerge<ChunkSeries> merge;

    MergedSet(List<ChunkSeriesSet> sets, int limit) {
      this.merge =
          new LabelsMerge<>(
              sets.stream()
                  .map(s -> new LabelsMerge.Source<>(s::next, s::at, s::warnings))
                  .toList(),
              ChunkSeries::labels,
              parts -> merged(parts.getFirst().labels(), parts),
              limit);
    }

    @Override
    public boolean next() {
      return merge.next();
    }

    @Override
    public ChunkSeries at() {
      return merge.at();
    }

    @Override
    public List<String> warnings() {
      return merge.warnings();
    }
  }

  /** One chunk with its range and the position of its source, for ordering. */
  private record Piece(Chunk chunk, long min, long max, int source) {}

  private static ChunkSeries merged(Labels labels, List<ChunkSeries> parts) {
    List<Piece> pieces = new ArrayList<>();
    for (int i = 0; i < parts.size(); i++) {
      ChunkIterator it = parts.get(i).chunks(null);
      while (it.next()) {
        pieces.add(new Piece(it.chunk(), it.minTime(), it.maxTime(), i));
      }
    }
    pieces.sort(Comparator.comparingLong(Piece::min).thenComparingInt(Piece::source));
    List<Piece> out = new ArrayList<>();
    int i = 0;
    while (i < pieces.size()) {
      // Gather a run of chunks that overlap one another.
      int j = i + 1;
      long runMax = pieces.get(i).max();
      while (j < pieces.size() && pieces.get(j).min() <= runMax) {
        runMax = Math.max(runMax, pieces.get(j).max());
        j++;
      }
      if (j == i + 1) {
        out.add(pieces.get(i));
      } else {
        out.addAll(reencode(pieces.subList(i, j)));
      }
      i = j;
    }
    return ChunkSeries.of(labels, () -> new PieceIterator(out));
  }

  /** Merges overlapping chunks sample by sample; on equal timestamps the first source wins. */
  private static List<Piece> reencode(List<Piece> run) {
    List<Piece> sorted = new ArrayList<>(run);
    sorted.sort(Comparator.comparingInt(Piece::source));
    SampleIterator[] its = new SampleIterator[sorted.size()];
    boolean[] live = new boolean[its.length];
    for (int k = 0; k < its.length; k++) {
      its[k] = sorted.get(k).chunk().iterator(null);
      live[k] = its[k].next();
    }
    List<Piece> out = new ArrayList<>();
    XorEncoder enc = null;
    long min = 0;
    long max = 0;
    while (true) {
      int best = -1;
      for (int k = 0; k < its.length; k++) {
        if (live[k] && (best < 0 || its[k].t() < its[best].t())) {
          best = k;
        }
      }
      if (best < 0) {
        break;
      }
      long t = its[best].t();
      if (enc == null) {
        enc = new XorEncoder();
        min = t;
      }
      enc.append(t, its[best].v());
      max = t;
      if (enc.numSamples() == SAMPLES_PER_CHUNK) {
        out.add(new Piece(enc.toChunk(), min, max, 0));
        enc = null;
      }
      for (int k = 0; k < its.length; k++) {
        if (live[k] && its[k].t() == t) {
          live[k] = its[k].next();
        }
      }
    }
    if (enc != null) {
      out.add(new Piece(enc.toChunk(), min, max, 0));
    }
    return out;
  }

  private static final class PieceIterator implements ChunkIterator {
    private final List<Piece> pieces;
    private int i = -1;

    PieceIterator(List<Piece> pieces) {
      this.pieces = pieces;
    }

    @Override
    public boolean next() {
      return ++i < pieces.size();
    }

    @Override
    public long minTime() {
      return pieces.get(i).min();
    }

    @Override
    public long maxTime() {
      return pieces.get(i).max();
    }

    @Override
    public Chunk chunk() {
      return pieces.get(i).chunk();
    }
  }
}
