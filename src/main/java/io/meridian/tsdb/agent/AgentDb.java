package io.meridian.tsdb.agent;

import io.meridian.model.Labels;
import io.meridian.storage.AppendableStore;
import io.meridian.storage.Appender;
import io.meridian.tsdb.wal.Checkpoint;
import io.meridian.tsdb.wal.Compression;
import io.meridian.tsdb.wal.Records;
import io.meridian.tsdb.wal.Wal;
import io.meridian.tsdb.wal.WalCorruptionException;
import io.meridian.tsdb.wal.WalReader;
import io.meridian.tsdb.wal.WalRepair;
import io.meridian.tsdb.wal.WalTruncator;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A WAL-only store for {@code meridian agent}: appends are judged against each series' newest
 * timestamp, written to the WAL at commit, and kept nowhere else; remote write queues read them
 * from the WAL. {@link #truncate} forgets series not appended since a cutoff and checkpoints the
 * WAL below what the queues hold. The WAL is Prometheus's format, so Prometheus's agent can read it
 * and this one can read Prometheus's.
 */
public final class AgentDb implements AppendableStore, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AgentDb.class);

  private final Wal wal;
  private final WalTruncator truncator;
  private final ConcurrentHashMap<Labels, AgentSeries> byLabels = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<Long, AgentSeries> byRef = new ConcurrentHashMap<>();
  private final AtomicLong nextRef = new AtomicLong(1);
  private final AtomicLong newest = new AtomicLong(Long.MIN_VALUE);
  final LongAdder samplesAppended = new LongAdder();
  final LongAdder seriesCreated = new LongAdder();
  final LongAdder seriesRemoved = new LongAdder();
  final LongAdder outOfOrder = new LongAdder();

  private AgentDb(Wal wal) {
    this.wal = wal;
    this.truncator = new WalTruncator(wal, Compression.SNAPPY);
  }

  /** Opens (or creates) {@code dir}: reads the series back from its WAL and starts a segment. */
  public static AgentDb open(Path dir, long segmentSize) throws IOException {
    Path walDir = dir.resolve("wal");
    Files.createDirectories(walDir);
    List<Records.RefSeries> series = new ArrayList<>();
    java.util.Map<Long, Long> lastT = new java.util.HashMap<>();
    replay(walDir, series, lastT);
    Wal wal = Wal.open(walDir, segmentSize, Compression.SNAPPY);
    AgentDb db = new AgentDb(wal);
    long maxRef = 0;
    for (Records.RefSeries s : series) {
      AgentSeries a = new AgentSeries(s.ref(), s.labels());
      Long t = lastT.get(s.ref());
      if (t != null) {
        a.lastT = t;
      }
      AgentSeries prev = db.byLabels.get(s.labels());
      if (prev == null || prev.lastT <= a.lastT) {
        db.byLabels.put(s.labels(), a);
      }
      db.byRef.put(s.ref(), a);
      maxRef = Math.max(maxRef, s.ref());
    }
    db.nextRef.set(maxRef + 1);
    log.info("agent WAL read back: {} series", db.byLabels.size());
    return db;
  }

  private static void replay(
      Path walDir, List<Records.RefSeries> series, java.util.Map<Long, Long> lastT)
      throws IOException {
    OptionalInt cp = Checkpoint.latest(walDir);
    Records.SampleBatch samples = new Records.SampleBatch();
    int from = 0;
    if (cp.isPresent()) {
      try (WalReader r =
          WalReader.open(Checkpoint.dir(walDir, cp.getAsInt()), 0, Integer.MAX_VALUE)) {
        while (r.next()) {
          read(r.record(), series, samples, lastT);
        }
      }
      from = cp.getAsInt() + 1;
    }
    try (WalReader r = WalReader.open(walDir, from, Integer.MAX_VALUE)) {
      while (r.next()) {
        read(r.record(), series, samples, lastT);
      }
    } catch (WalCorruptionException e) {
      log.warn(
          "agent WAL corrupt in segment {} at offset {}: {}; truncating there and going on",
          e.segment(),
          e.offset(),
          e.getMessage());
      WalRepair.repair(walDir, e);
    }
  }

  private static void read(
      ByteBuffer rec,
      List<Records.RefSeries> series,
      Records.SampleBatch samples,
      java.util.Map<Long, Long> lastT)
      throws IOException {
    switch (Records.type(rec)) {
      case SERIES -> Records.decodeSeries(rec, series);
      case SAMPLES -> {
        Records.decodeSamples(rec, samples);
        for (int i = 0; i < samples.size; i++) {
          lastT.merge(samples.refs[i], samples.ts[i], Math::max);
        }
      }
      default -> {
        // nothing else matters to the agent
      }
    }
  }

  @Override
  public Appender appender() {
    return new AgentAppender(this);
  }

  AgentSeries byRef(long ref) {
    return byRef.get(ref);
  }

  /** The series with these labels, created (and to be logged by the caller) when new. */
  AgentSeries getOrCreate(Labels labels, boolean[] created) {
    AgentSeries s = byLabels.get(labels);
    if (s != null) {
      return s;
    }
    AgentSeries fresh = new AgentSeries(nextRef.getAndIncrement(), labels);
    s = byLabels.putIfAbsent(labels, fresh);
    if (s != null) {
      return s;
    }
    byRef.put(fresh.ref, fresh);
    seriesCreated.increment();
    created[0] = true;
    return fresh;
  }

  void log(List<byte[]> records, long maxT) throws IOException {
    wal.log(records);
    newest.accumulateAndGet(maxT, Math::max);
  }

  /**
   * Forgets series with no sample since {@code cutoff} and checkpoints the WAL below every hold,
   * series records only (the agent never reads samples back from a checkpoint).
   */
  public void truncate(long cutoff) throws IOException {
    Set<Long> removed = new HashSet<>();
    for (AgentSeries s : byLabels.values()) {
      if (s.lastT < cutoff) {
        removed.add(s.ref);
        byLabels.remove(s.labels, s);
      }
    }
    byRef.values().removeIf(s -> removed.contains(s.ref) || byLabels.get(s.labels) != s);
    seriesRemoved.add(removed.size());
    truncator.seriesRemoved(removed);
    truncator.truncate(byRef::containsKey, Long.MAX_VALUE, 1.0);
  }

  public WalTruncator.Hold holdWal(IntSupplier lowestNeeded) {
    return truncator.hold(lowestNeeded);
  }

  public Path walDir() {
    return wal.dir();
  }

  public int walSegment() {
    return wal.currentSegment();
  }

  /** The newest sample time committed, or {@code Long.MIN_VALUE}. */
  public long newestSample() {
    return newest.get();
  }

  public int numSeries() {
    return byLabels.size();
  }

  /** A snapshot of the counters, for self-metrics. */
  public record Stats(
      long series, long samplesAppended, long seriesCreated, long seriesRemoved, long outOfOrder) {}

  public Stats stats() {
    return new Stats(
        byLabels.size(),
        samplesAppended.sum(),
        seriesCreated.sum(),
        seriesRemoved.sum(),
        outOfOrder.sum());
  }

  @Override
  public void close() throws IOException {
    wal.close();
  }
}
