package io.meridian.tsdb;

import io.meridian.storage.SampleRejectedException;
import io.meridian.tsdb.head.Head;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * The TSDB's self-metrics, {@code meridian_tsdb_*}, read from its counters at scrape time: head
 * series and chunks, samples appended and rejected per reason, WAL replay and corruption,
 * compactions, blocks, retention deletions and quarantined blocks.
 */
public final class TsdbMetrics {
  private TsdbMetrics() {}

  /** Registers the metrics of {@code db} in {@code registry}. */
  public static void register(PrometheusRegistry registry, Tsdb db) {
    Head head = db.head();
    gauge(registry, "meridian_tsdb_head_series", "Series in the head.", () -> head.numSeries());
    gauge(
        registry,
        "meridian_tsdb_head_max_time_seconds",
        "Newest sample time in the head.",
        () -> head.maxTime() == Long.MIN_VALUE ? Double.NaN : head.maxTime() / 1000.0);
    gauge(
        registry,
        "meridian_tsdb_head_min_time_seconds",
        "Oldest sample time in the head.",
        () -> head.minTime() == Long.MAX_VALUE ? Double.NaN : head.minTime() / 1000.0);
    gauge(registry, "meridian_tsdb_blocks_loaded", "Blocks open.", () -> db.stats().blocks());
    counter(
        registry,
        "meridian_tsdb_head_samples_appended_total",
        "Samples committed into the head.",
        () -> head.stats().samplesAppended());
    counter(
        registry,
        "meridian_tsdb_head_chunks_created_total",
        "Chunks cut in the head.",
        () -> head.stats().chunksCreated());
    counter(
        registry,
        "meridian_tsdb_head_series_created_total",
        "Series created in the head.",
        () -> head.stats().seriesCreated());
    counter(
        registry,
        "meridian_tsdb_head_series_removed_total",
        "Series dropped from the head by truncation.",
        () -> head.stats().seriesRemoved());
    CounterWithCallback.builder()
        .name("meridian_tsdb_samples_rejected_total")
        .help("Samples refused by appenders, by reason.")
        .labelNames("reason")
        .callback(cb ->
            head.stats()
                .rejected()
                .forEach((SampleRejectedException.Reason r, Long n) -> cb.call(n, r.label())))
        .register(registry);
    counter(
        registry,
        "meridian_tsdb_wal_corruptions_total",
        "WAL corruptions found (and cut off) at start-up.",
        () -> db.replayResult().repaired() ? 1 : 0);
    gauge(
        registry,
        "meridian_tsdb_wal_replay_duration_seconds",
        "How long the WAL replay at start-up took.",
        () -> db.replayResult().millis() / 1000.0);
    counter(
        registry,
        "meridian_tsdb_compactions_total",
        "Block compactions run.",
        () -> db.stats().compactions());
    counter(
        registry,
        "meridian_tsdb_head_compactions_total",
        "Blocks cut from the head.",
        () -> db.stats().headCompactions());
    counter(
        registry,
        "meridian_tsdb_retention_deleted_blocks_total",
        "Blocks deleted by time or size retention.",
        () -> db.stats().retentionDeletions());
    counter(
        registry,
        "meridian_tsdb_blocks_quarantined_total",
        "Corrupt blocks moved aside at start-up.",
        () -> db.stats().quarantined());
  }

  private static void gauge(
      PrometheusRegistry r, String name, String help, java.util.function.DoubleSupplier value) {
    GaugeWithCallback.builder()
        .name(name)
        .help(help)
        .callback(cb -> cb.call(value.getAsDouble()))
        .register(r);
  }

  private static void counter(
      PrometheusRegistry r, String name, String help, java.util.function.DoubleSupplier value) {
    CounterWithCallback.builder()
        .name(name)
        .help(help)
        .callback(cb -> cb.call(value.getAsDouble()))
        .register(r);
  }
}
