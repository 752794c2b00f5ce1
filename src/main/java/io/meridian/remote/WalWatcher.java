package io.meridian.remote;

import io.meridian.storage.CorruptDataException;
import io.meridian.tsdb.wal.Checkpoint;
import io.meridian.tsdb.wal.Records;
import io.meridian.tsdb.wal.Wal;
import io.meridian.tsdb.wal.WalReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows a WAL as it is written, as Prometheus's WAL watcher does for remote write: series records
 * and samples go to a {@link Sink} in the order they were logged. Starting at a saved position, it
 * first reads the series records before it (newest checkpoint, then segments) so every sample's ref
 * resolves, then tails the segments from there, moving to the next segment once the current one is
 * complete. Runs on its own thread until {@link #stop()}.
 */
final class WalWatcher implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(WalWatcher.class);

  /** What the watcher reads goes here, on the watcher's thread. */
  interface Sink {
    /** Series records read from {@code segment} (the checkpoint's index for checkpoints). */
    void series(List<Records.RefSeries> series, int segment);

    /** A record of samples that ends at {@code (segment, endOffset)}; may block. */
    void samples(Records.SampleBatch samples, int segment, long endOffset)
        throws InterruptedException;

    /** A newer checkpoint was read; series last read before {@code index} can be forgotten. */
    void checkpoint(int index);
  }

  private final Path walDir;
  private final Sink sink;
  private final String name;
  private final long pollMillis;
  private final Object signal = new Object();
  private final List<Records.RefSeries> seriesBuf = new ArrayList<>();
  private final Records.SampleBatch samplesBuf = new Records.SampleBatch();
  private volatile boolean stopped;
  private volatile boolean finishing;
  private volatile int segment;
  private int checkpointRead = -1;
  private WalPosition start;

  WalWatcher(String name, Path walDir, WalPosition start, Sink sink, long pollMillis) {
    this.name = name;
    this.walDir = walDir;
    this.start = start;
    this.sink = sink;
    this.pollMillis = pollMillis;
    this.segment = start.segment();
  }

  /** The segment being read. */
  int segment() {
    return segment;
  }

  void stop() {
    stopped = true;
    wake();
  }

  /** Reads what the WAL holds now, then ends: a clean stop sends what was appended before it. */
  void finish() {
    finishing = true;
    wake();
  }

  /** New data may be there; read it now rather than at the next poll. */
  void wake() {
    synchronized (signal) {
      signal.notifyAll();
    }
  }

  @Override
  public void run() {
    try {
      start = firstReadable(start);
      readSeriesBefore(start);
      tail(start);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException | RuntimeException e) {
      if (!stopped) {
        log.error("remote write {}: reading the WAL failed, sending stopped", name, e);
      }
    }
  }

  /** {@code p}, or the first segment after it that still exists when its own is gone. */
  private WalPosition firstReadable(WalPosition p) throws IOException {
    List<Integer> segs = Wal.segments(walDir);
    if (segs.isEmpty() || segs.contains(p.segment())) {
      return p;
    }
    int first = segs.getFirst();
    if (p.segment() < first) {
      log.warn(
          "remote write {}: WAL segments {} to {} were deleted before they were sent; "
              + "resuming at segment {}",
          name,
          p.segment(),
          first - 1,
          first);
      return new WalPosition(first, 0);
    }
    return p; // a segment not yet written: wait for it
  }

  private void readSeriesBefore(WalPosition p) throws IOException, InterruptedException {
    for (int attempt = 0; ; attempt++) {
      OptionalInt cp = Checkpoint.latest(walDir);
      try {
        if (cp.isPresent()) {
          readCheckpoint(cp.getAsInt());
        }
        int from = cp.isPresent() ? cp.getAsInt() + 1 : 0;
        try (WalReader r = WalReader.open(walDir, from, p.segment() - 1)) {
          while (r.next() && !stopped) {
            readSeriesOnly(r.record(), r.segment());
          }
        }
        if (p.offset() > 0) {
          try (WalReader r = WalReader.tail(walDir, p.segment(), 0)) {
            while (r.next() && r.endOffset() <= p.offset()) {
              readSeriesOnly(r.record(), p.segment());
            }
          }
        }
        return;
      } catch (NoSuchFileException e) {
        if (attempt >= 3) {
          throw e;
        }
        // A checkpoint replaced what we were reading; read the newer one.
      }
    }
  }

  private void readCheckpoint(int index) throws IOException {
    try (WalReader r = WalReader.open(Checkpoint.dir(walDir, index), 0, Integer.MAX_VALUE)) {
      while (r.next()) {
        readSeriesOnly(r.record(), index);
      }
    }
    checkpointRead = index;
    sink.checkpoint(index);
  }

  private void readSeriesOnly(ByteBuffer rec, int seg) throws CorruptDataException {
    if (Records.type(rec) == Records.Type.SERIES) {
      seriesBuf.clear();
      Records.decodeSeries(rec, seriesBuf);
      sink.series(seriesBuf, seg);
    }
  }

  private void tail(WalPosition from) throws IOException, InterruptedException {
    int seg = from.segment();
    long off = from.offset();
    while (!stopped) {
      segment = seg;
      boolean complete = exists(seg + 1); // asked first: then the whole segment is on disk
      long resume;
      boolean torn;
      try (WalReader r = WalReader.tail(walDir, seg, off)) {
        while (r.next()) {
          handle(r.record(), seg, r.endOffset());
          if (stopped) {
            return;
          }
        }
        resume = r.resumeOffset();
        torn = r.stoppedInsideRecord();
      } catch (NoSuchFileException e) {
        int next = nextExisting(seg);
        if (next < 0) {
          waitForData();
          continue;
        }
        seg = next;
        off = 0;
        continue;
      }
      if (complete) {
        if (torn) {
          log.warn(
              "remote write {}: WAL segment {} ends inside a record at {}; going on with the next",
              name,
              seg,
              resume);
        }
        seg++;
        off = 0;
        readNewerCheckpoint();
        continue;
      }
      off = resume;
      if (finishing) {
        return;
      }
      waitForData();
    }
  }

  private void handle(ByteBuffer rec, int seg, long endOffset)
      throws CorruptDataException, InterruptedException {
    switch (Records.type(rec)) {
      case SERIES -> {
        seriesBuf.clear();
        Records.decodeSeries(rec, seriesBuf);
        sink.series(seriesBuf, seg);
      }
      case SAMPLES -> {
        Records.decodeSamples(rec, samplesBuf);
        sink.samples(samplesBuf, seg, endOffset);
      }
      default -> {
        // histograms, exemplars, metadata and tombstones are not sent
      }
    }
  }

  private void readNewerCheckpoint() throws IOException {
    OptionalInt cp = Checkpoint.latest(walDir);
    if (cp.isPresent() && cp.getAsInt() > checkpointRead) {
      try {
        readCheckpoint(cp.getAsInt());
      } catch (NoSuchFileException e) {
        // replaced by a newer one while we read; that one is read at the next segment
      }
    }
  }

  private boolean exists(int seg) throws IOException {
    return Wal.segments(walDir).contains(seg);
  }

  /** The first existing segment after {@code seg}, or -1. */
  private int nextExisting(int seg) throws IOException {
    for (int s : Wal.segments(walDir)) {
      if (s > seg) {
        return s;
      }
    }
    return -1;
  }

  // A spurious wakeup only makes the next look at the WAL come early.
  @SuppressWarnings("WaitNotInLoop")
  private void waitForData() throws InterruptedException {
    synchronized (signal) {
      if (!stopped) {
        signal.wait(pollMillis);
      }
    }
  }
}
