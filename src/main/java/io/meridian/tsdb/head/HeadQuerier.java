package io.meridian.tsdb.head;

import io.meridian.model.Labels;
import io.meridian.model.Matcher;
import io.meridian.storage.Chunk;
import io.meridian.storage.ChunkIterator;
import io.meridian.storage.ChunkQuerier;
import io.meridian.storage.ChunkSeries;
import io.meridian.storage.ChunkSeriesSet;
import io.meridian.storage.LabelHints;
import io.meridian.storage.LabelQuerier;
import io.meridian.storage.Querier;
import io.meridian.storage.SelectHints;
import io.meridian.storage.SeriesSet;
import io.meridian.tsdb.chunk.DeletedFilter;
import io.meridian.tsdb.chunk.Intervals;
import io.meridian.tsdb.index.Postings;
import io.meridian.tsdb.index.PostingsForMatchers;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Queries the head. Each series' chunks are copied out (the open chunk frozen) when the cursor
 * reaches it, so readers never hold a series lock while they decode.
 */
abstract sealed class HeadQuerier implements LabelQuerier {
  final Head head;
  final long mint;
  final long maxt;

  HeadQuerier(Head head, long mint, long maxt) {
    this.head = head;
    this.mint = mint;
    this.maxt = maxt;
  }

  /** The matching series, sorted by labels when asked (head refs are in creation order). */
  List<MemSeries> matching(boolean sorted, List<Matcher> matchers) {
    Postings p = PostingsForMatchers.select(head.postings, matchers);
    List<MemSeries> out = new ArrayList<>();
    while (p.next()) {
      MemSeries s = head.byRef(p.at());
      if (s != null) {
        out.add(s);
      }
    }
    if (sorted) {
      out.sort(Comparator.comparing(s -> s.labels));
    }
    return out;
  }

  @Override
  public List<String> labelNames(LabelHints hints, List<Matcher> matchers) {
    return matchers.isEmpty()
        ? hints.cut(head.postings.labelNames())
        : hints.names(matching(false, matchers).stream().map(s -> s.labels).toList());
  }

  @Override
  public List<String> labelValues(String name, LabelHints hints, List<Matcher> matchers) {
    return matchers.isEmpty()
        ? hints.cut(head.postings.labelValues(name))
        : hints.values(matching(false, matchers).stream().map(s -> s.labels).toList(), name);
  }

  @Override
  public void close() {}

  /** The matching series with chunks in range, as a chunk view. */
  final class Cursor implements ChunkSeriesSet {
    private final List<MemSeries> series;
    private final int limit;
    private int i = -1;
    private int returned;
    private ChunkSeries current;

    Cursor(boolean sorted, SelectHints hints, List<Matcher> matchers) {
      this.series = matching(sorted, matchers);
      this.limit = hints.limit();
    }

    @Override
    public boolean next() {
      while ((limit == 0 || returned < limit) && ++i < series.size()) {
        MemSeries s = series.get(i);
        MemSeries.ChunkList list = s.chunks(mint, maxt, head.mapper());
        Intervals deleted = head.deleted(s.ref);
        if (list.size > 0 && !allDeleted(list, deleted)) {
          returned++;
          Labels labels = s.labels;
          current =
              ChunkSeries.of(labels, () -> DeletedFilter.of(new ListChunkIterator(list), deleted));
          return true;
        }
      }
      return false;
    }

    private static boolean allDeleted(MemSeries.ChunkList list, Intervals deleted) {
      if (deleted.isEmpty()) {
        return false;
      }
      for (int k = 0; k < list.size; k++) {
        if (!deleted.covers(list.min[k], list.max[k])) {
          return false;
        }
      }
      return true;
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

  static final class ListChunkIterator implements ChunkIterator {
    private final MemSeries.ChunkList list;
    private int i = -1;

    ListChunkIterator(MemSeries.ChunkList list) {
      this.list = list;
    }

    @Override
    public boolean next() {
      return ++i < list.size;
    }

    @Override
    public long minTime() {
      return list.min[i];
    }

    @Override
    public long maxTime() {
      return list.max[i];
    }

    @Override
    public Chunk chunk() {
      return list.chunks[i];
    }
  }

  static final class Samples extends HeadQuerier implements Querier {
    Samples(Head head, long mint, long maxt) {
      super(head, mint, maxt);
    }

    @Override
    public SeriesSet select(boolean sorted, SelectHints hints, List<Matcher> matchers) {
      return SeriesSet.fromChunks(new Cursor(sorted, hints, matchers), mint, maxt);
    }
  }

  static final class Chunks extends HeadQuerier implements ChunkQuerier {
    Chunks(Head head, long mint, long maxt) {
      super(head, mint, maxt);
    }

    @Override
    public ChunkSeriesSet select(boolean sorted, SelectHints hints, List<Matcher> matchers) {
      return new Cursor(sorted, hints, matchers);
    }
  }
}
