package io.meridian.tsdb.head;

import io.meridian.model.Labels;
import io.meridian.model.Matcher;
import io.meridian.storage.AppendableStore;
import io.meridian.storage.Appender;
import io.meridian.storage.ChunkQuerier;
import io.meridian.storage.ChunkQueryable;
import io.meridian.storage.Querier;
import io.meridian.storage.Queryable;
import io.meridian.storage.SampleRejectedException;
import io.meridian.tsdb.chunk.ChunkDiskMapper;
import io.meridian.tsdb.chunk.Intervals;
import io.meridian.tsdb.index.Postings;
import io.meridian.tsdb.index.PostingsForMatchers;
import io.meridian.tsdb.wal.Records;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The in-memory head block: the newest samples of every active series, appended by many threads and
 * queried while that happens. Series are found by labels or by ref; refs are handed out in
 * increasing order and never reused within a process (WAL replay restores the refs it finds).
 *
 * <p>Durability is the {@link Journal}'s job: each commit is logged there before it is applied.
 */
public final class Head implements AppendableStore, Queryable, ChunkQueryable {
  private final HeadOptions options;
  private volatile Journal journal;
  private final ConcurrentHashMap<Labels, MemSeries> byLabels = new ConcurrentHashMap<>();
  private final RefMap byRef = new RefMap();

  /** Deleted ranges by series ref; empty unless someone deleted series. */
  private final ConcurrentHashMap<Long, Intervals> tombstones = new ConcurrentHashMap<>();

  final MemPostings postings = new MemPostings();
  private final StringPool strings = new StringPool();
  private final AtomicLong lastRef = new AtomicLong();
  private final AtomicLong minTime = new AtomicLong(Long.MAX_VALUE);
  private final AtomicLong maxTime = new AtomicLong(Long.MIN_VALUE);

  /** Samples older than this are out of bounds: they belong to blocks already written. */
  private final AtomicLong minValidTime = new AtomicLong(Long.MIN_VALUE);

  private final Map<SampleRejectedException.Reason, LongAdder> rejected =
      new EnumMap<>(SampleRejectedException.Reason.class);
  private final LongAdder samplesAppended = new LongAdder();
  private final LongAdder outOfOrderAppended = new LongAdder();
  private final LongAdder chunksCreated = new LongAdder();
  private final LongAdder seriesCreated = new LongAdder();
  private final LongAdder seriesRemoved = new LongAdder();

  /** Where full chunks go; null keeps them on the heap (tools, backfill, tests). */
  private final ChunkDiskMapper mapper;

  public Head(HeadOptions options, Journal journal) {
    this(options, journal, null);
  }

  public Head(HeadOptions options, Journal journal, ChunkDiskMapper mapper) {
    this.options = options;
    this.journal = journal;
    this.mapper = mapper;
    for (SampleRejectedException.Reason r : SampleRejectedException.Reason.values()) {
      rejected.put(r, new LongAdder());
    }
  }

  public HeadOptions options() {
    return options;
  }

  Journal journal() {
    return journal;
  }

  /** Switches the journal, after WAL replay, before appends start. */
  public void setJournal(Journal journal) {
    this.journal = journal;
  }

  /** Samples before {@code t} are out of bounds from now on (blocks hold that time). */
  public void setMinValidTime(long t) {
    minValidTime.accumulateAndGet(t, Math::max);
  }

  private final java.util.concurrent.ConcurrentLinkedQueue<HeadAppender.Buffers> bufferPool =
      new java.util.concurrent.ConcurrentLinkedQueue<>();

  @Override
  public Appender appender() {
    HeadAppender.Buffers b = bufferPool.poll();
    return new HeadAppender(this, b != null ? b : new HeadAppender.Buffers());
  }

  void returnBuffers(HeadAppender.Buffers b) {
    // Enough for the busy appenders; the rest, and buffers a huge batch blew up, go to the GC.
    if (bufferPool.size() < 64 && b.samples.capacity() <= 16_384) {
      bufferPool.offer(b);
    }
  }

  @Override
  public Querier querier(long mint, long maxt) {
    return new HeadQuerier.Samples(this, mint, maxt);
  }

  @Override
  public ChunkQuerier chunkQuerier(long mint, long maxt) {
    return new HeadQuerier.Chunks(this, mint, maxt);
  }

  /**
   * Marks {@code [mint, maxt]} deleted in every series matching all {@code matchers} that has data
   * there, as Prometheus does: the range clamped to the series' data becomes a tombstone, logged to
   * the journal first and then honoured by every query (also over samples appended into the range
   * later, until the head is cut into a block without them). Returns the series touched.
   */
  public long delete(long mint, long maxt, List<Matcher> matchers) throws IOException {
    Postings p = PostingsForMatchers.select(postings, matchers);
    List<Records.Tombstone> stones = new ArrayList<>();
    while (p.next()) {
      MemSeries s = byRef(p.at());
      if (s == null) {
        continue;
      }
      long lo;
      long hi;
      synchronized (s) {
        lo = s.minTime();
        hi = s.lastT();
      }
      if (lo <= maxt && mint <= hi) {
        long from = Math.max(mint, lo);
        long to = Math.min(maxt, hi);
        stones.add(new Records.Tombstone(s.ref, from, to));
      }
    }
    if (!stones.isEmpty()) {
      journal.logTombstones(stones);
      stones.forEach(t -> addTombstone(t.ref(), t.mint(), t.maxt()));
    }
    return stones.size();
  }

  private void addTombstone(long ref, long mint, long maxt) {
    tombstones.merge(ref, Intervals.NONE.add(mint, maxt), (a, b) -> a.add(b.mint(0), b.maxt(0)));
  }

  /** A tombstone record from the WAL; refs replay aliased to one series count as that series. */
  void replayTombstone(long ref, long mint, long maxt) {
    MemSeries s = byRef(ref);
    if (s != null && mint <= maxt) {
      addTombstone(s.ref, mint, maxt);
    }
  }

  /** Deleted ranges of a series, empty when none. */
  Intervals deleted(long ref) {
    if (tombstones.isEmpty()) {
      return Intervals.NONE; // the common case: no lookup per series
    }
    return tombstones.getOrDefault(ref, Intervals.NONE);
  }

  MemSeries byRef(long ref) {
    return byRef.get(ref);
  }

  /**
   * The series with these labels, created with a new ref if absent; null if absent and the head
   * holds its {@linkplain HeadOptions#maxSeries() most series} already (concurrent appenders may
   * pass the limit by a few).
   */
  MemSeries getOrCreate(Labels labels) {
    if (labels.isEmpty()) {
      throw new IllegalArgumentException("empty label set");
    }
    MemSeries s = byLabels.get(labels);
    if (s != null) {
      return s;
    }
    if (options.maxSeries() > 0 && byLabels.size() >= options.maxSeries()) {
      return null;
    }
    // The map's key and the series share one interned copy of the labels.
    return byLabels.computeIfAbsent(
        strings.intern(labels),
        l -> {
          MemSeries n = new MemSeries(lastRef.incrementAndGet(), l);
          byRef.putIfAbsent(n.ref, n);
          postings.add(n.ref, l);
          seriesCreated.increment();
          return n;
        });
  }

  /**
   * Recreates a series from the WAL with the ref it had, so later sample records find it. Refs
   * handed out afterwards are above every replayed one.
   */
  MemSeries replaySeries(long ref, Labels labels) {
    MemSeries existing = byLabels.get(labels);
    if (existing != null) {
      byRef.putIfAbsent(
          ref, existing); // an older ref for the same labels points to the same series
      return existing;
    }
    MemSeries s = new MemSeries(ref, strings.intern(labels));
    s.logged = true; // it is in the WAL already
    byLabels.put(s.labels, s);
    byRef.putIfAbsent(ref, s);
    postings.add(ref, s.labels);
    lastRef.accumulateAndGet(ref, Math::max);
    seriesCreated.increment();
    return s;
  }

  /** {@link #replaySample} results. */
  static final int REPLAY_SKIPPED = 0;

  static final int REPLAY_APPENDED = 1;
  static final int REPLAY_APPENDED_NEW_CHUNK = 2;

  /**
   * Applies a sample during WAL replay; one that blocks already hold, or that is not newer than the
   * series' newest, is skipped. The caller adds up the results and reports them with {@link
   * #countReplayed}: shared counters touched per sample by several replay threads would contend.
   */
  int replaySample(MemSeries s, long t, double v, long minValid) {
    if (t < minValid) {
      return REPLAY_SKIPPED; // already in a block
    }
    synchronized (s) {
      if (t <= s.lastT()) {
        // A late sample the window had let in; without a window it was never accepted.
        return options.outOfOrderWindow() > 0 && s.appendOutOfOrder(t, v)
            ? REPLAY_APPENDED
            : REPLAY_SKIPPED;
      }
      return s.append(t, v, options, mapper) ? REPLAY_APPENDED_NEW_CHUNK : REPLAY_APPENDED;
    }
  }

  /** Adds up a batch of replayed samples. */
  void countReplayed(long appended, long chunks, long mint, long maxt) {
    if (appended > 0) {
      countAppended(appended, chunks);
      updateTimes(mint, maxt);
    }
  }

  /** The lowest time replay keeps: blocks hold what is older. */
  long replayMinValidTime() {
    return minValidTime.get();
  }

  void updateTimes(long mint, long maxt) {
    minTime.accumulateAndGet(mint, Math::min);
    maxTime.accumulateAndGet(maxt, Math::max);
  }

  void countRejected(SampleRejectedException.Reason r) {
    rejected.get(r).increment();
  }

  void countAppended(long n, long chunks) {
    samplesAppended.add(n);
    chunksCreated.add(chunks);
  }

  /** Earliest sample time in the head, or Long.MAX_VALUE when empty. */
  public long minTime() {
    return minTime.get();
  }

  /** Latest sample time in the head, or Long.MIN_VALUE when empty. */
  public long maxTime() {
    return maxTime.get();
  }

  /**
   * The lowest timestamp an appender accepts: above what blocks already hold, and within half a
   * chunk range of the newest sample, as Prometheus has it.
   */
  long appendableMinValidTime() {
    long max = maxTime.get();
    long half =
        max == Long.MIN_VALUE || !options.limitAppendLag()
            ? Long.MIN_VALUE
            : max - options.chunkRange() / 2;
    return Math.max(minValidTime.get(), half);
  }

  /**
   * The lowest timestamp the out-of-order window accepts for a late sample, or Long.MAX_VALUE when
   * there is no window. Late samples are kept in the head only: those older than the newest block
   * are out of bounds even inside the window.
   */
  long outOfOrderMinValidTime() {
    long w = options.outOfOrderWindow();
    long max = maxTime.get();
    if (w == 0 || max == Long.MIN_VALUE) {
      return Long.MAX_VALUE;
    }
    return Math.max(minValidTime.get(), max - w);
  }

  void countOutOfOrder() {
    outOfOrderAppended.increment();
  }

  /**
   * Drops everything before {@code mint} (now in blocks) and the series left with no data; later
   * appends before {@code mint} are out of bounds. Returns the refs of the removed series.
   */
  public java.util.Set<Long> truncate(long mint) {
    minValidTime.accumulateAndGet(mint, Math::max);
    java.util.Set<Long> removed = new java.util.HashSet<>();
    long newMin = Long.MAX_VALUE;
    for (MemSeries s : byLabels.values()) {
      if (s.truncateBefore(mint)) {
        removed.add(s.ref);
      } else {
        newMin = Math.min(newMin, s.minTime());
      }
    }
    for (MemSeries s : byLabels.values()) {
      if (removed.contains(s.ref)) {
        byLabels.remove(s.labels, s);
      }
    }
    byRef.removeIf(s -> removed.contains(s.ref)); // aliases from replayed refs go too
    if (mapper != null) {
      try {
        mapper.truncateBefore(mint);
      } catch (java.io.IOException e) {
        // Files not deleted now are deleted at the next truncation.
      }
    }
    postings.remove(removed::contains);
    tombstones.keySet().removeIf(removed::contains);
    tombstones.replaceAll((ref, iv) -> iv.dropBefore(mint));
    tombstones.values().removeIf(Intervals::isEmpty);
    seriesRemoved.add(removed.size());
    if (!removed.isEmpty()) {
      strings.rebuild(byLabels.values());
    }
    minTime.set(newMin);
    return removed;
  }

  /** Number of series in the head. */
  public int numSeries() {
    return byLabels.size();
  }

  /** Whether a series ref is still in the head (for WAL checkpoints). */
  public boolean hasSeries(long ref) {
    return byRef.containsKey(ref);
  }

  /** Counters for self-metrics. */
  public Stats stats() {
    Map<SampleRejectedException.Reason, Long> r =
        new EnumMap<>(SampleRejectedException.Reason.class);
    rejected.forEach((k, v) -> r.put(k, v.sum()));
    return new Stats(
        byLabels.size(),
        samplesAppended.sum(),
        outOfOrderAppended.sum(),
        chunksCreated.sum(),
        seriesCreated.sum(),
        seriesRemoved.sum(),
        r);
  }

  /** A snapshot of the head's counters. */
  public record Stats(
      long series,
      long samplesAppended,
      long outOfOrderAppended,
      long chunksCreated,
      long seriesCreated,
      long seriesRemoved,
      Map<SampleRejectedException.Reason, Long> rejected) {}

  ChunkDiskMapper mapper() {
    return mapper;
  }
}
