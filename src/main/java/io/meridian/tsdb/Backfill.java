package io.meridian.tsdb;

import io.meridian.exposition.ExpositionParser;
import io.meridian.exposition.ParseException;
import io.meridian.exposition.TextFormat;
import io.meridian.model.Labels;
import io.meridian.storage.Appender;
import io.meridian.storage.ChunkQuerier;
import io.meridian.storage.SampleRejectedException;
import io.meridian.tsdb.block.BlockMeta;
import io.meridian.tsdb.block.BlockWriter;
import io.meridian.tsdb.head.Head;
import io.meridian.tsdb.head.HeadOptions;
import io.meridian.tsdb.head.Journal;
import io.meridian.util.Clock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Writes blocks from an OpenMetrics file, as {@code promtool tsdb create-blocks-from openmetrics}
 * does: one pass to check the file and find its time range, then one pass per block range, each
 * building a head in memory and writing it out. Memory is bounded by one block range's data.
 */
public final class Backfill {
  /** Told about progress: after the scan, and after each block. */
  public interface Progress {
    void scanned(long samples, long minTime, long maxTime);

    void blockWritten(BlockMeta meta, int done, int total);
  }

  /** What an import did. */
  public record Result(long series, long samples, long rejected, List<BlockMeta> blocks) {}

  private final Clock clock;
  private final long blockDuration;

  public Backfill(Clock clock, long blockDuration) {
    this.clock = clock;
    this.blockDuration = blockDuration;
  }

  /**
   * Imports {@code file} into block directories under {@code outDir}.
   *
   * @throws ParseException naming the line of the first thing that does not parse (nothing is
   *     written then)
   */
  public Result importOpenMetrics(Path file, Path outDir, Progress progress)
      throws IOException, ParseException {
    long size = Files.size(file);
    if (size > Integer.MAX_VALUE - 16) {
      throw new IOException(file + " is larger than 2 GiB; split it and import the parts");
    }
    byte[] body = Files.readAllBytes(file);
    Scan scan = scan(body);
    progress.scanned(scan.samples, scan.min, scan.max);
    Files.createDirectories(outDir);
    List<BlockMeta> written = new ArrayList<>();
    long samples = 0;
    long rejected = 0;
    if (scan.samples == 0) {
      return new Result(0, 0, 0, written);
    }
    long first = Math.floorDiv(scan.min, blockDuration) * blockDuration;
    int total = (int) ((scan.max - first) / blockDuration + 1);
    int done = 0;
    for (long start = first; start <= scan.max; start += blockDuration) {
      Head head = new Head(new HeadOptions(blockDuration, 120, 0, false, 0), Journal.NONE);
      long[] counts = fill(body, head, start, start + blockDuration);
      samples += counts[0];
      rejected += counts[1];
      BlockMeta meta;
      try (ChunkQuerier q = head.chunkQuerier(start, start + blockDuration - 1)) {
        meta = new BlockWriter(outDir, clock).write(q, start, start + blockDuration, 1, List.of());
      }
      done++;
      if (meta != null) {
        written.add(meta);
        progress.blockWritten(meta, done, total);
      }
    }
    return new Result(scan.series, samples, rejected, written);
  }

  private record Scan(long min, long max, long samples, long series) {}

  /** Checks the whole file and finds its time range, sample and series counts. */
  private static Scan scan(byte[] body) throws ParseException {
    ExpositionParser p = new ExpositionParser(body, body.length, TextFormat.OPENMETRICS_1_0);
    long min = Long.MAX_VALUE;
    long max = Long.MIN_VALUE;
    long n = 0;
    java.util.HashSet<Labels> seen = new java.util.HashSet<>();
    int lastStart = -1;
    int lastEnd = -1;
    for (ExpositionParser.Entry e = p.next(); e != ExpositionParser.Entry.EOF; e = p.next()) {
      if (e == ExpositionParser.Entry.SERIES) {
        if (!p.hasTimestamp()) {
          throw new ParseException(p.line(), "backfill needs a timestamp on every sample");
        }
        if (lastStart < 0 || !sameBytes(body, lastStart, lastEnd, p.seriesStart(), p.seriesEnd())) {
          seen.add(p.labels()); // also checks the labels
          lastStart = p.seriesStart();
          lastEnd = p.seriesEnd();
        }
        min = Math.min(min, p.timestamp());
        max = Math.max(max, p.timestamp());
        n++;
      }
    }
    return new Scan(min, max, n, seen.size());
  }

  /** Appends the samples in {@code [mint, maxt)}; returns {appended, rejected}. */
  private static long[] fill(byte[] body, Head head, long mint, long maxt)
      throws ParseException, IOException {
    ExpositionParser p = new ExpositionParser(body, body.length, TextFormat.OPENMETRICS_1_0);
    Appender app = head.appender();
    long appended = 0;
    long rejected = 0;
    int lastStart = -1;
    int lastEnd = -1;
    Labels lastLabels = null;
    long lastRef = 0;
    for (ExpositionParser.Entry e = p.next(); e != ExpositionParser.Entry.EOF; e = p.next()) {
      if (e != ExpositionParser.Entry.SERIES) {
        continue;
      }
      long t = p.timestamp();
      if (t < mint || t >= maxt) {
        continue;
      }
      // Files list a series' samples together, so the previous line's series is the usual hit.
      if (lastLabels == null
          || !sameBytes(body, lastStart, lastEnd, p.seriesStart(), p.seriesEnd())) {
        lastLabels = p.labels();
        lastStart = p.seriesStart();
        lastEnd = p.seriesEnd();
        lastRef = 0;
      }
      try {
        lastRef = app.append(lastRef, lastLabels, t, p.value());
        appended++;
      } catch (SampleRejectedException ex) {
        rejected++;
      }
      if (appended % 100_000 == 0) {
        app.commit();
        app = head.appender();
      }
    }
    app.commit();
    return new long[] {appended, rejected};
  }

  private static boolean sameBytes(byte[] b, int s1, int e1, int s2, int e2) {
    return e1 - s1 == e2 - s2 && Arrays.equals(b, s1, e1, b, s2, e2);
  }
}
