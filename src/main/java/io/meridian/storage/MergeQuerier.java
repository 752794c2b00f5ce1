package io.meridian.storage;

import io.meridian.model.Labels;
import io.meridian.model.Matcher;
import java.util.ArrayList;
import java.util.List;

/**
 * Several queriers as one: the head and the blocks of a TSDB, or several stores. Series with the
 * same labels in several queriers become one series whose samples are merged by time; where two
 * have a sample at the same timestamp, the querier listed first wins. Results are always sorted.
 * Closing it closes them all.
 */
public final class MergeQuerier implements Querier {
  private final List<Querier> queriers;

  private MergeQuerier(List<Querier> queriers) {
    this.queriers = List.copyOf(queriers);
  }

  /** The merge of {@code queriers}, or the only one. */
  public static Querier of(List<Querier> queriers) {
    return queriers.size() == 1 ? queriers.getFirst() : new MergeQuerier(queriers);
  }

  @Override
  public SeriesSet select(boolean sorted, SelectHints hints, List<Matcher> matchers) {
    List<SeriesSet> sets = new ArrayList<>(queriers.size());
    SelectHints each = new SelectHints(hints.start(), hints.end(), hints.step(), hints.func(), 0);
    for (Querier q : queriers) {
      sets.add(q.select(true, each, matchers));
    }
    return new MergedSeriesSet(sets, hints.limit());
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
    RuntimeException first = null;
    for (Querier q : queriers) {
      try {
        q.close();
      } catch (RuntimeException e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }

  /** Merges sorted series sets by labels. */
  private static final class MergedSeriesSet implements SeriesSet {
    private final LabelsMerge<Series> merge;

    MergedSeriesSet(List<SeriesSet> sets, int limit) {
      this.merge =
          new LabelsMerge<>(
              sets.stream()
                  .map(s -> new LabelsMerge.Source<>(s::next, s::at, s::warnings))
                  .toList(),
              Series::labels,
              parts -> new MergedSeries(parts.getFirst().labels(), parts),
              limit);
    }

    @Override
    public boolean next() {
      return merge.next();
    }

    @Override
    public Series at() {
      return merge.at();
    }

    @Override
    public List<String> warnings() {
      return merge.warnings();
    }
  }

  private record MergedSeries(Labels labels, List<Series> parts) implements Series {
    @Override
    public SampleIterator iterator(SampleIterator reuse) {
      SampleIterator[] its = new SampleIterator[parts.size()];
      for (int i = 0; i < its.length; i++) {
        its[i] = parts.get(i).iterator(null);
      }
      return new MergedSampleIterator(its);
    }
  }

  /** Merges iterators by time; on equal timestamps the earliest iterator's sample is kept. */
  static final class MergedSampleIterator implements SampleIterator {
    private final SampleIterator[] its;
    private final boolean[] live;
    private boolean started;
    private int cur = -1;

    MergedSampleIterator(SampleIterator[] its) {
      this.its = its;
      this.live = new boolean[its.length];
    }

    @Override
    public boolean next() {
      if (!started) {
        started = true;
        for (int i = 0; i < its.length; i++) {
          live[i] = its[i].next();
        }
      } else if (cur >= 0) {
        long t = its[cur].t();
        for (int i = 0; i < its.length; i++) {
          if (live[i] && its[i].t() == t) {
            live[i] = its[i].next();
          }
        }
      } else {
        return false;
      }
      return pick();
    }

    @Override
    public boolean seek(long t) {
      if (started && cur >= 0 && its[cur].t() >= t) {
        return true;
      }
      if (started && cur < 0) {
        return false;
      }
      started = true;
      for (int i = 0; i < its.length; i++) {
        live[i] = its[i].seek(t);
      }
      return pick();
    }

    private boolean pick() {
      cur = -1;
      for (int i = 0; i < its.length; i++) {
        if (live[i] && (cur < 0 || its[i].t() < its[cur].t())) {
          cur = i;
        }
      }
      return cur >= 0;
    }

    @Override
    public long t() {
      return its[cur].t();
    }

    @Override
    public double v() {
      return its[cur].v();
    }
  }
}
