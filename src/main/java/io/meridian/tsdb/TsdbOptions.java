package io.meridian.tsdb;

import java.time.Duration;

/**
 * The TSDB's own options; {@code cli} maps flags and config onto them.
 *
 * @param blockDuration the head is cut into blocks of this length (2h)
 * @param retentionTime blocks wholly older than this behind the newest data are deleted (15d)
 * @param retentionSizeBytes when blocks, WAL and head chunks take more, the oldest blocks go; 0 off
 * @param maxBlockDuration compaction never makes blocks longer than this
 * @param outOfOrderWindow late samples within this window are accepted; zero turns it off
 * @param walSegmentSize size at which a WAL segment is closed (128 MiB)
 * @param walCompression whether WAL records are snappy-compressed, as Prometheus does by default
 * @param maxHeadSeries the most series the head holds; new series beyond it are refused; 0 off
 */
public record TsdbOptions(
    Duration blockDuration,
    Duration retentionTime,
    long retentionSizeBytes,
    Duration maxBlockDuration,
    Duration outOfOrderWindow,
    long walSegmentSize,
    boolean walCompression,
    long maxHeadSeries) {

  public TsdbOptions {
    if (blockDuration.toMillis() <= 0
        || retentionTime.isNegative()
        || retentionSizeBytes < 0
        || maxHeadSeries < 0) {
      throw new IllegalArgumentException(
          "invalid TSDB options: " + blockDuration + ", " + retentionTime);
    }
    if (maxBlockDuration.compareTo(blockDuration) < 0) {
      maxBlockDuration = blockDuration;
    }
  }

  /** Prometheus's defaults: 2h blocks, 15d retention, blocks up to 10% of retention. */
  public static TsdbOptions defaults() {
    return withRetention(Duration.ofDays(15), 0);
  }

  /** Defaults with this retention; the largest block is a tenth of it, at most 31 days. */
  public static TsdbOptions withRetention(Duration retention, long retentionSizeBytes) {
    Duration max = retention.dividedBy(10);
    if (max.compareTo(Duration.ofDays(31)) > 0) {
      max = Duration.ofDays(31);
    }
    return new TsdbOptions(
        Duration.ofHours(2),
        retention,
        retentionSizeBytes,
        max,
        Duration.ZERO,
        128L << 20,
        true,
        0);
  }

  public TsdbOptions withBlockDuration(Duration d) {
    return new TsdbOptions(
        d,
        retentionTime,
        retentionSizeBytes,
        maxBlockDuration,
        outOfOrderWindow,
        walSegmentSize,
        walCompression,
        maxHeadSeries);
  }

  public TsdbOptions withOutOfOrderWindow(Duration d) {
    return new TsdbOptions(
        blockDuration,
        retentionTime,
        retentionSizeBytes,
        maxBlockDuration,
        d,
        walSegmentSize,
        walCompression,
        maxHeadSeries);
  }

  public TsdbOptions withWalSegmentSize(long bytes) {
    return new TsdbOptions(
        blockDuration,
        retentionTime,
        retentionSizeBytes,
        maxBlockDuration,
        outOfOrderWindow,
        bytes,
        walCompression,
        maxHeadSeries);
  }

  public TsdbOptions withMaxHeadSeries(long n) {
    return new TsdbOptions(
        blockDuration,
        retentionTime,
        retentionSizeBytes,
        maxBlockDuration,
        outOfOrderWindow,
        walSegmentSize,
        walCompression,
        n);
  }
}
