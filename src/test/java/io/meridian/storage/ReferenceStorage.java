package io.meridian.storage;

import io.meridian.model.Labels;
import io.meridian.model.Matcher;
import io.meridian.tsdb.chunk.XorChunk;
import io.meridian.tsdb.chunk.XorEncoder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The naive model of the storage contract: every series a sorted map under one lock. Slow and
 * obviously right, it is what contract tests run against first and what randomized tests of real
 * stores compare with.
 */
public final class ReferenceStorage implements Storage {
  static final int SAMPLES_PER_CHUNK = 120;

  private final Map<Labels, MemSeries> byLabels = new HashMap<>();
  private final Map<Long, MemSeries> byRef = new HashMap<>();
  private long nextRef = 1;
  private boolean closed;

  private static final class MemSeries {
    final long ref;
    final Labels labels;
    final TreeMap<Long, Double> samples = new TreeMap<>();

    MemSeries(long ref, Labels labels) {
      this.ref = ref;
      this.labels = labels;
    }
  }

  @Override
  public synchronized Appender appender() {
    ensureOpen();
    return new RefAppender();
  }

  private synchronized MemSeries series(long ref, Labels labels) {
    MemSeries s = ref == 0 ? null : byRef.get(ref);
    if (s != null) {
      return s;
    }
    if (labels.isEmpty()) {
      throw new IllegalArgumentException("empty label set");
    }
    return byLabels.computeIfAbsent(
        labels,
        l -> {
          MemSeries n = new MemSeries(nextRef++, l);
          byRef.put(n.ref, n);
          return n;
        });
  }

  private synchronized Map.Entry<Long, Double> newest(MemSeries s) {
    return s.samples.lastEntry();
  }

  private final class RefAppender implements Appender {
    private final List<Object[]> pending = new ArrayList<>();
    private final Map<MemSeries, long[]> pendingNewest = new HashMap<>();
    private boolean done;

    @Override
    public long append(long ref, Labels labels, long t, double v) throws SampleRejectedException {
      check();
      MemSeries s = series(ref, labels);
      long[] mine = pendingNewest.get(s);
      Map.Entry<Long, Double> committed = newest(s);
      long newestT = Long.MIN_VALUE;
      long newestBits = 0;
      if (committed != null) {
        newestT = committed.getKey();
        newestBits = Double.doubleToRawLongBits(committed.getValue());
      }
      if (mine != null && mine[0] >= newestT) {
        newestT = mine[0];
        newestBits = mine[1];
      }
      long bits = Double.doubleToRawLongBits(v);
      if (t < newestT) {
        throw SampleRejectedException.of(SampleRejectedException.Reason.OUT_OF_ORDER);
      }
      if (t == newestT) {
        if (bits != newestBits) {
          throw SampleRejectedException.of(SampleRejectedException.Reason.DUPLICATE);
        }
        return s.ref;
      }
      pending.add(new Object[] {s, t, v});
      pendingNewest.put(s, new long[] {t, bits});
      return s.ref;
    }

    @Override
    public void commit() {
      check();
      done = true;
      synchronized (ReferenceStorage.this) {
        for (Object[] p : pending) {
          MemSeries s = (MemSeries) p[0];
          long t = (Long) p[1];
          Long last = s.samples.isEmpty() ? null : s.samples.lastKey();
          if (last == null || t > last) {
            s.samples.put(t, (Double) p[2]);
          }
        }
      }
    }

    @Override
    public void rollback() {
      check();
      done = true;
    }

    private void check() {
      if (done) {
        throw new IllegalStateException("appender already committed or rolled back");
      }
    }
  }

  @Override
  public Querier querier(long mint, long maxt) {
    ensureOpen();
    return new RefQuerier(mint, maxt);
  }

  @Override
  public ChunkQuerier chunkQuerier(long mint, long maxt) {
    ensureOpen();
    return new RefChunkQuerier(mint, maxt);
  }

  @Override
  public synchronized void close() {
    closed = true;
  }

  private synchronized void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("storage closed");
    }
  }

  /** Copies of the matching series' samples in range, sorted by labels. */
  private synchronized List<Map.Entry<Labels, NavigableMap<Long, Double>>> snapshot(
      long mint, long maxt, List<Matcher> matchers) {
    List<Map.Entry<Labels, NavigableMap<Long, Double>>> out = new ArrayList<>();
    for (MemSeries s : byLabels.values()) {
      if (matchers.stream().allMatch(m -> m.matches(s.labels))) {
        NavigableMap<Long, Double> in = new TreeMap<>(s.samples.subMap(mint, true, maxt, true));
        if (!in.isEmpty()) {
          out.add(Map.entry(s.labels, in));
        }
      }
    }
    out.sort(Map.Entry.comparingByKey());
    return out;
  }

  /** All samples of the series matching, for chunking whole. */
  private synchronized List<Map.Entry<Labels, NavigableMap<Long, Double>>> snapshotAll(
      List<Matcher> matchers) {
    return snapshot(Long.MIN_VALUE, Long.MAX_VALUE, matchers);
  }

  private abstract class RefLabelQuerier implements LabelQuerier {
    final long mint;
    final long maxt;

    RefLabelQuerier(long mint, long maxt) {
      this.mint = mint;
      this.maxt = maxt;
    }

    @Override
    public List<String> labelValues(String name, LabelHints hints, List<Matcher> matchers) {
      return hints.values(
          snapshot(mint, maxt, matchers).stream().map(Map.Entry::getKey).toList(), name);
    }

    @Override
    public List<String> labelNames(LabelHints hints, List<Matcher> matchers) {
      return hints.names(snapshot(mint, maxt, matchers).stream().map(Map.Entry::getKey).toList());
    }

    @Override
    public void close() {}
  }

  private final class RefQuerier extends RefLabelQuerier implements Querier {
    RefQuerier(long mint, long maxt) {
      super(mint, maxt);
    }

    @Override
    public SeriesSet select(boolean sorted, SelectHints hints, List<Matcher> matchers) {
      List<Series> out = new ArrayList<>();
      for (var e : snapshot(mint, maxt, matchers)) {
        out.add(new MapSeries(e.getKey(), e.getValue()));
        if (hints.limit() > 0 && out.size() == hints.limit()) {
          break;
        }
      }
      return SeriesSet.of(out);
    }
  }

  private final class RefChunkQuerier extends RefLabelQuerier implements ChunkQuerier {
    RefChunkQuerier(long mint, long maxt) {
      super(mint, maxt);
    }

    @Override
    public ChunkSeriesSet select(boolean sorted, SelectHints hints, List<Matcher> matchers) {
      List<ChunkSeries> out = new ArrayList<>();
      for (var e : snapshotAll(matchers)) {
        List<long[]> ranges = new ArrayList<>();
        List<Chunk> chunks = new ArrayList<>();
        XorEncoder enc = null;
        long first = 0;
        long last = 0;
        for (var s : e.getValue().entrySet()) {
          if (enc == null) {
            enc = new XorEncoder();
            first = s.getKey();
          }
          enc.append(s.getKey(), s.getValue());
          last = s.getKey();
          if (enc.numSamples() == SAMPLES_PER_CHUNK) {
            addIfOverlapping(ranges, chunks, enc.toChunk(), first, last);
            enc = null;
          }
        }
        if (enc != null) {
          addIfOverlapping(ranges, chunks, enc.toChunk(), first, last);
        }
        if (!chunks.isEmpty()) {
          out.add(new ListChunkSeries(e.getKey(), ranges, chunks));
        }
      }
      return new ListChunkSeriesSet(out);
    }

    private void addIfOverlapping(
        List<long[]> ranges, List<Chunk> chunks, XorChunk c, long first, long last) {
      if (last >= mint && first <= maxt) {
        ranges.add(new long[] {first, last});
        chunks.add(c);
      }
    }
  }

  /** A series over a sorted map; iterators copy nothing. */
  private record MapSeries(Labels labels, NavigableMap<Long, Double> samples) implements Series {
    @Override
    public SampleIterator iterator(SampleIterator reuse) {
      long[] ts = samples.keySet().stream().mapToLong(Long::longValue).toArray();
      double[] vs = samples.values().stream().mapToDouble(Double::doubleValue).toArray();
      return new ArraySampleIterator(ts, vs);
    }
  }

  private record ListChunkSeries(Labels labels, List<long[]> ranges, List<Chunk> chunks)
      implements ChunkSeries {
    @Override
    public ChunkIterator chunks(ChunkIterator reuse) {
      return new ChunkIterator() {
        int i = -1;

        @Override
        public boolean next() {
          return ++i < chunks.size();
        }

        @Override
        public long minTime() {
          return ranges.get(i)[0];
        }

        @Override
        public long maxTime() {
          return ranges.get(i)[1];
        }

        @Override
        public Chunk chunk() {
          return chunks.get(i);
        }
      };
    }
  }

  private static final class ListChunkSeriesSet implements ChunkSeriesSet {
    private final List<ChunkSeries> series;
    private int i = -1;

    ListChunkSeriesSet(List<ChunkSeries> series) {
      this.series = series;
    }

    @Override
    public boolean next() {
      return ++i < series.size();
    }

    @Override
    public ChunkSeries at() {
      return series.get(i);
    }

    @Override
    public List<String> warnings() {
      return List.of();
    }
  }
}
