package io.meridian.remote;

import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * The sender's self-metrics, {@code meridian_remote_storage_*}, one series per remote (labels
 * {@code remote_name} and {@code url}) read from its queue at scrape time: samples sent, failed
 * (rejected by the remote), retried, dropped (by reason), pending, bytes, shards, the newest sent
 * timestamp, the lag behind appending and the WAL bytes held.
 */
public final class RemoteStorageMetrics {
  private RemoteStorageMetrics() {}

  public static void register(PrometheusRegistry registry, RemoteWriter writer) {
    counter(
        registry,
        writer,
        "meridian_remote_storage_samples_total",
        "Samples sent to the remote and accepted.",
        q -> q.samplesSent.sum());
    counter(
        registry,
        writer,
        "meridian_remote_storage_samples_failed_total",
        "Samples the remote rejected with a status not retried (4xx); they are not sent again.",
        q -> q.samplesFailed.sum());
    counter(
        registry,
        writer,
        "meridian_remote_storage_samples_retried_total",
        "Samples whose send failed in a way that is retried (5xx, 429, network), per attempt.",
        q -> q.samplesRetried.sum());
    counter(
        registry,
        writer,
        "meridian_remote_storage_bytes_total",
        "Compressed bytes sent and accepted.",
        q -> q.bytesSent.sum());
    counter(
        registry,
        writer,
        "meridian_remote_storage_metadata_total",
        "Metric metadata entries sent and accepted (metadata_config).",
        q -> q.metadataSent.sum());
    counter(
        registry,
        writer,
        "meridian_remote_storage_metadata_failed_total",
        "Metric metadata entries rejected, or not taken within a send interval.",
        q -> q.metadataFailed.sum());
    CounterWithCallback.builder()
        .name("meridian_remote_storage_samples_dropped_total")
        .help(
            "Samples not sent: dropped by write_relabel_configs, by the backlog budget, or of"
                + " series the WAL did not name.")
        .labelNames("remote_name", "url", "reason")
        .callback(cb -> {
          for (QueueManager q : writer.queues()) {
            String url = q.config().url().toString();
            cb.call((double) q.droppedRelabel.sum(), q.name(), url, "write_relabel");
            cb.call((double) q.droppedBacklog.sum(), q.name(), url, "backlog_budget");
            cb.call((double) q.droppedUnknown.sum(), q.name(), url, "unknown_series");
          }
        })
        .register(registry);
    gauge(
        registry,
        writer,
        "meridian_remote_storage_samples_pending",
        "Samples queued or in flight.",
        q -> q.pending());
    gauge(
        registry, writer, "meridian_remote_storage_shards", "Shards sending.", q -> q.shardCount());
    gauge(
        registry,
        writer,
        "meridian_remote_storage_highest_sent_timestamp_seconds",
        "Timestamp of the newest sample the remote accepted.",
        q -> q.highestSent.get() == Long.MIN_VALUE ? Double.NaN : q.highestSent.get() / 1000.0);
    gauge(
        registry,
        writer,
        "meridian_remote_storage_lag_seconds",
        "Newest appended sample time minus newest sent, 0 when nothing waits to be sent.",
        QueueManager::lagSeconds);
    gauge(
        registry,
        writer,
        "meridian_remote_storage_wal_backlog_bytes",
        "WAL bytes held because this remote has not been sent them yet.",
        q -> q.backlogBytes());
  }

  private static void counter(
      PrometheusRegistry registry,
      RemoteWriter writer,
      String name,
      String help,
      Function<QueueManager, Long> value) {
    CounterWithCallback.builder()
        .name(name)
        .help(help)
        .labelNames("remote_name", "url")
        .callback(cb -> {
          for (QueueManager q : writer.queues()) {
            cb.call(value.apply(q), q.name(), q.config().url().toString());
          }
        })
        .register(registry);
  }

  private static void gauge(
      PrometheusRegistry registry,
      RemoteWriter writer,
      String name,
      String help,
      ToDoubleFunction<QueueManager> value) {
    GaugeWithCallback.builder()
        .name(name)
        .help(help)
        .labelNames("remote_name", "url")
        .callback(cb -> {
          for (QueueManager q : writer.queues()) {
            cb.call(value.applyAsDouble(q), q.name(), q.config().url().toString());
          }
        })
        .register(registry);
  }
}
