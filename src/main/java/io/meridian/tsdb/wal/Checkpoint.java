package io.meridian.tsdb.wal;

import io.meridian.util.Decbuf;
import io.meridian.util.Encbuf;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.function.LongPredicate;

/**
 * Checkpoints, as Prometheus's {@code wlog.Checkpoint} writes them: the directory {@code
 * checkpoint.N} (see {@link WalFormat#checkpointName}) is a WAL holding what is still needed of the
 * previous checkpoint and of segments up to {@code N}, so those segments can be deleted. Replay
 * reads the newest checkpoint, then the segments after {@code N}.
 *
 * <p>A checkpoint is written under a {@code .tmp} name and renamed when complete, so a crash leaves
 * either the old state or the new one. Creating checkpoints is not thread-safe against another
 * creation in the same directory.
 */
public final class Checkpoint {
  /** Flush batches of about this many bytes to the checkpoint's WAL. */
  private static final int BATCH_BYTES = 1 << 20;

  private Checkpoint() {}

  /** Counts of what {@link #create} kept and dropped; histogram samples count as samples. */
  public record Stats(long droppedSeries, long droppedSamples, long keptSeries, long keptSamples) {}

  /**
   * Writes {@code checkpoint.to} from the newest existing checkpoint and segments {@code [from,
   * to]}: series records of series {@code keepSeries} accepts; samples, histogram samples and
   * exemplars of those series at or after {@code mint}; tombstones of those series reaching {@code
   * mint}; the latest metadata of each kept series. Other record types are dropped. The caller then
   * deletes segments up to {@code to} and older checkpoints.
   *
   * @throws IOException if reading fails, including a {@link WalCorruptionException}: corrupt input
   *     cannot be checkpointed, since the head would not know which series were lost
   * @throws IllegalStateException if segments lie between the newest checkpoint and {@code from},
   *     or the newest checkpoint is newer than {@code to}
   */
  public static Stats create(
      Path walDir, int from, int to, LongPredicate keepSeries, long mint, Compression compression)
      throws IOException {
    OptionalInt last = latest(walDir);
    if (last.isPresent() && last.getAsInt() > to) {
      throw new IllegalStateException(
          checkpointName(last.getAsInt()) + " already covers segment " + to);
    }
    if (last.isPresent() && from > last.getAsInt() + 1) {
      throw new IllegalStateException(
          "checkpoint of segments from "
              + from
              + " would leave a gap after "
              + checkpointName(last.getAsInt()));
    }
    Path tmp = walDir.resolve(WalFormat.checkpointName(to) + WalFormat.TMP_SUFFIX);
    WalFiles.deleteRecursively(tmp);
    Files.createDirectories(tmp);
    Filter filter = new Filter(keepSeries, mint);
    try {
      try (Wal out = Wal.open(tmp, WalFormat.DEFAULT_SEGMENT_SIZE, compression)) {
        if (last.isPresent()) {
          copy(dir(walDir, last.getAsInt()), 0, Integer.MAX_VALUE, filter, out);
        }
        int start = last.isPresent() ? last.getAsInt() + 1 : from;
        copy(walDir, start, to, filter, out);
        filter.flush(out);
        filter.flushMetadata(out);
      }
      WalFiles.syncDir(tmp);
      Path target = dir(walDir, to);
      WalFiles.deleteRecursively(target);
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
      WalFiles.syncDir(walDir);
    } catch (IOException | RuntimeException e) {
      WalFiles.deleteRecursively(tmp);
      throw e;
    }
    return filter.stats();
  }

  private static String checkpointName(int index) {
    return WalFormat.checkpointName(index);
  }

  private static void copy(Path dir, int from, int to, Filter filter, Wal out) throws IOException {
    try (WalReader r = WalReader.open(dir, from, to)) {
      while (r.next()) {
        try {
          filter.add(r.record());
        } catch (io.meridian.storage.CorruptDataException e) {
          throw new WalCorruptionException(
              dir, r.segment(), r.offset(), "record does not decode: " + e.getMessage(), e);
        }
        if (filter.pendingBytes() > BATCH_BYTES) {
          filter.flush(out);
        }
      }
    }
  }

  /**
   * The index of the newest complete checkpoint in {@code walDir}; unfinished {@code .tmp}
   * directories do not count.
   */
  public static OptionalInt latest(Path walDir) throws IOException {
    int best = -1;
    for (int i : indexes(walDir, "")) {
      best = Math.max(best, i);
    }
    return best < 0 ? OptionalInt.empty() : OptionalInt.of(best);
  }

  /** Where checkpoint {@code index} of {@code walDir} lives. */
  public static Path dir(Path walDir, int index) {
    return walDir.resolve(WalFormat.checkpointName(index));
  }

  /**
   * Deletes the checkpoints of {@code walDir} older than {@code index}, and unfinished ones left by
   * a crash with an index below it.
   */
  public static void deleteOlderThan(Path walDir, int index) throws IOException {
    for (String suffix : List.of("", WalFormat.TMP_SUFFIX)) {
      for (int i : indexes(walDir, suffix)) {
        if (i < index) {
          WalFiles.deleteRecursively(walDir.resolve(WalFormat.checkpointName(i) + suffix));
        }
      }
    }
  }

  /** Indexes of the directories named {@code checkpoint.<digits><suffix>}, exactly as named. */
  private static List<Integer> indexes(Path walDir, String suffix) throws IOException {
    List<Integer> out = new ArrayList<>();
    if (!Files.isDirectory(walDir)) {
      return out;
    }
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(walDir)) {
      for (Path p : ds) {
        String name = p.getFileName().toString();
        if (!name.startsWith(WalFormat.CHECKPOINT_PREFIX)
            || !name.endsWith(suffix)
            || !Files.isDirectory(p)) {
          continue;
        }
        String digits =
            name.substring(WalFormat.CHECKPOINT_PREFIX.length(), name.length() - suffix.length());
        int i = WalFormat.parseIndex(digits);
        if (i >= 0 && name.equals(WalFormat.checkpointName(i) + suffix)) {
          out.add(i);
        }
      }
    }
    return out;
  }

  /** Decides what of each record to keep and batches the re-encoded records. */
  private static final class Filter {
    private final LongPredicate keep;
    private final long mint;
    private final List<byte[]> pending = new ArrayList<>();
    private final TreeMap<Long, Records.RefMetadata> metadata = new TreeMap<>();
    private final List<Records.RefSeries> series = new ArrayList<>();
    private final List<Records.Tombstone> tombstones = new ArrayList<>();
    private final List<Records.RefExemplar> exemplars = new ArrayList<>();
    private final List<Records.RefMetadata> meta = new ArrayList<>();
    private final Records.SampleBatch samples = new Records.SampleBatch();
    private final Records.SampleBatch keptSamples = new Records.SampleBatch();
    private final Encbuf buf = new Encbuf(4096);
    private final HistogramFilter histograms = new HistogramFilter();
    private long pendingBytes;
    private long droppedSeries;
    private long droppedSamples;
    private long keptSeries;
    private long keptSampleCount;

    Filter(LongPredicate keep, long mint) {
      this.keep = keep;
      this.mint = mint;
    }

    void add(ByteBuffer rec) throws io.meridian.storage.CorruptDataException {
      switch (Records.type(rec)) {
        case SERIES -> {
          Records.decodeSeries(rec, series);
          List<Records.RefSeries> kept = series.stream().filter(s -> keep.test(s.ref())).toList();
          keptSeries += kept.size();
          droppedSeries += series.size() - kept.size();
          if (!kept.isEmpty()) {
            emit(Records.encodeSeries(kept));
          }
        }
        case SAMPLES -> addSamples(rec);
        case TOMBSTONES -> {
          Records.decodeTombstones(rec, tombstones);
          List<Records.Tombstone> kept =
              tombstones.stream().filter(t -> t.maxt() >= mint && keep.test(t.ref())).toList();
          if (!kept.isEmpty()) {
            emit(Records.encodeTombstones(kept));
          }
        }
        case EXEMPLARS -> {
          Records.decodeExemplars(rec, exemplars);
          List<Records.RefExemplar> kept =
              exemplars.stream().filter(e -> e.t() >= mint && keep.test(e.ref())).toList();
          if (!kept.isEmpty()) {
            emit(Records.encodeExemplars(kept));
          }
        }
        case METADATA -> {
          Records.decodeMetadata(rec, meta);
          for (Records.RefMetadata m : meta) {
            if (keep.test(m.ref())) {
              metadata.put(m.ref(), m);
            }
          }
        }
        case HISTOGRAM_SAMPLES, FLOAT_HISTOGRAM_SAMPLES -> addHistograms(rec);
        case MMAP_MARKERS, UNKNOWN -> {} // as Prometheus: not carried into checkpoints
      }
    }

    private void addSamples(ByteBuffer rec) throws io.meridian.storage.CorruptDataException {
      Records.decodeSamples(rec, samples);
      keptSamples.clear();
      for (int i = 0; i < samples.size; i++) {
        if (samples.ts[i] >= mint && keep.test(samples.refs[i])) {
          keptSamples.add(samples.refs[i], samples.ts[i], samples.vs[i]);
        }
      }
      keptSampleCount += keptSamples.size;
      droppedSamples += samples.size - keptSamples.size;
      if (keptSamples.size > 0) {
        emit(Records.encodeSamples(keptSamples, buf).toByteArray());
      }
    }

    /** A histogram record whose layout we do not know is kept whole rather than lost. */
    private void addHistograms(ByteBuffer rec) {
      long total = histograms.total;
      long kept = histograms.kept;
      Encbuf out;
      try {
        out = histograms.filter(rec, keep, mint);
      } catch (Decbuf.DecodeException e) {
        byte[] whole = new byte[rec.remaining()];
        rec.get(rec.position(), whole);
        emit(whole);
        return;
      }
      keptSampleCount += histograms.kept - kept;
      droppedSamples += (histograms.total - total) - (histograms.kept - kept);
      if (out.len() > 0) {
        emit(out.toByteArray());
      }
    }

    private void emit(byte[] rec) {
      pending.add(rec);
      pendingBytes += rec.length;
    }

    long pendingBytes() {
      return pendingBytes;
    }

    void flush(Wal out) throws IOException {
      if (!pending.isEmpty()) {
        out.log(pending);
        pending.clear();
        pendingBytes = 0;
      }
    }

    void flushMetadata(Wal out) throws IOException {
      if (!metadata.isEmpty()) {
        out.log(Records.encodeMetadata(List.copyOf(metadata.values())));
      }
    }

    Stats stats() {
      return new Stats(droppedSeries, droppedSamples, keptSeries, keptSampleCount);
    }
  }
}
