package io.meridian.tsdb.head;

import io.meridian.tsdb.wal.Checkpoint;
import io.meridian.tsdb.wal.Records;
import io.meridian.tsdb.wal.Wal;
import io.meridian.tsdb.wal.WalCorruptionException;
import io.meridian.tsdb.wal.WalReader;
import io.meridian.tsdb.wal.WalRepair;
import io.meridian.util.Clock;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds the head from a WAL directory: the newest checkpoint, then every later segment, one
 * record at a time (memory stays bounded by the head being rebuilt, not by the WAL). A corrupt or
 * torn tail is cut off at the last good record; the loss is logged and counted, and start-up goes
 * on.
 */
public final class WalReplay {
  private static final Logger log = LoggerFactory.getLogger(WalReplay.class);

  /** What a replay did. */
  public record Result(
      long series,
      long samples,
      long skippedSamples,
      long unknownRefs,
      boolean repaired,
      long millis) {}

  private final Head head;
  private final Clock clock;
  private final List<Records.RefSeries> seriesBuf = new ArrayList<>();
  private final Records.SampleBatch samplesBuf = new Records.SampleBatch();
  private final List<Records.Tombstone> stonesBuf = new ArrayList<>();
  private ReplayShards shards;
  private long queued;
  private long series;
  private long samples;
  private long skipped;
  private long unknown;

  public WalReplay(Head head, Clock clock) {
    this.head = head;
    this.clock = clock;
  }

  /** Replays {@code walDir} into the head; repairs a corrupt tail. */
  public Result replay(Path walDir) throws IOException {
    return replay(walDir, true);
  }

  /**
   * Replays {@code walDir} into the head. At a corrupt or torn tail it stops; with {@code repair}
   * it also truncates the WAL there (read-only tools pass false and leave the files alone).
   */
  public Result replay(Path walDir, boolean repair) throws IOException {
    long start = clock.nanos();
    if (!Files.isDirectory(walDir)) {
      return new Result(0, 0, 0, 0, false, 0);
    }
    // The reader decodes on this thread; samples are applied on one thread per core.
    shards = new ReplayShards(head, Runtime.getRuntime().availableProcessors());
    try {
      return replayAll(walDir, repair, start);
    } finally {
      shards.close();
    }
  }

  private Result replayAll(Path walDir, boolean repair, long start) throws IOException {
    OptionalInt cp = Checkpoint.latest(walDir);
    int from = 0;
    if (cp.isPresent()) {
      Path cpDir = Checkpoint.dir(walDir, cp.getAsInt());
      log.info("replaying WAL checkpoint {}", cpDir.getFileName());
      try (WalReader r = WalReader.open(cpDir, 0, Integer.MAX_VALUE)) {
        while (r.next()) {
          apply(r.record());
        }
      }
      from = cp.getAsInt() + 1;
    }
    List<Integer> segs = Wal.segments(walDir).stream().filter(s -> s >= 0).toList();
    final int first = from;
    segs = segs.stream().filter(s -> s >= first).toList();
    boolean repaired = false;
    if (!segs.isEmpty()) {
      int last = segs.getLast();
      try (WalReader r = WalReader.open(walDir, first, last)) {
        int seen = -1;
        while (r.next()) {
          if (r.segment() != seen) {
            seen = r.segment();
            progress(seen, segs, start);
          }
          apply(r.record());
        }
      } catch (WalCorruptionException e) {
        log.warn(
            "WAL corrupt in segment {} at offset {}: {}; {}",
            e.segment(),
            e.offset(),
            e.getMessage(),
            repair ? "truncating there and going on" : "reading stops there");
        if (repair) {
          WalRepair.repair(walDir, e);
          repaired = true;
        }
      }
    }
    long[] counts = shards.finish();
    samples = counts[0];
    skipped = counts[1];
    unknown = counts[2];
    long ms = (clock.nanos() - start) / 1_000_000;
    log.info(
        "WAL replay done: {} series, {} samples ({} skipped, {} for unknown series) in {} ms",
        series,
        samples,
        skipped,
        unknown,
        ms);
    return new Result(series, samples, skipped, unknown, repaired, ms);
  }

  private void progress(int segment, List<Integer> segs, long start) {
    int done = segs.indexOf(segment);
    double secs = Math.max(1e-9, (clock.nanos() - start) / 1e9);
    log.info(
        "replaying WAL segment {} ({}/{}, {}%), {} samples read so far, {} samples/s",
        segment,
        done + 1,
        segs.size(),
        (done + 1) * 100 / segs.size(),
        queued,
        (long) (queued / secs));
  }

  private void apply(ByteBuffer rec) throws IOException {
    switch (Records.type(rec)) {
      case SERIES -> {
        seriesBuf.clear();
        Records.decodeSeries(rec, seriesBuf);
        for (Records.RefSeries s : seriesBuf) {
          head.replaySeries(s.ref(), s.labels());
          series++;
        }
      }
      case SAMPLES -> {
        Records.decodeSamples(rec, samplesBuf);
        for (int i = 0; i < samplesBuf.size; i++) {
          shards.add(samplesBuf.refs[i], samplesBuf.ts[i], samplesBuf.vs[i]);
        }
        queued += samplesBuf.size;
      }
      case TOMBSTONES -> {
        stonesBuf.clear();
        Records.decodeTombstones(rec, stonesBuf);
        for (Records.Tombstone t : stonesBuf) {
          head.replayTombstone(t.ref(), t.mint(), t.maxt());
        }
      }
      default -> {
        // Exemplars, metadata and histograms are not kept by the head yet.
      }
    }
  }
}
