package io.meridian.remote;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * What a remote write receiver counts: requests by status code, samples stored and samples refused,
 * so an operator sees a sender's rejections without reading its logs.
 */
public final class ReceiveMetrics {
  private final Counter requests;
  private final Counter stored;
  private final Counter refused;

  private ReceiveMetrics(Counter requests, Counter stored, Counter refused) {
    this.requests = requests;
    this.stored = stored;
    this.refused = refused;
  }

  /** Counters registered in {@code registry}. */
  public static ReceiveMetrics register(PrometheusRegistry registry) {
    return new ReceiveMetrics(
        Counter.builder()
            .name("meridian_remote_write_requests_total")
            .help("Remote write requests received, by HTTP status answered.")
            .labelNames("code")
            .register(registry),
        Counter.builder()
            .name("meridian_remote_write_samples_stored_total")
            .help("Samples received by remote write and stored.")
            .register(registry),
        Counter.builder()
            .name("meridian_remote_write_samples_refused_total")
            .help("Samples received by remote write and refused (the answer says why).")
            .register(registry));
  }

  void record(WriteReceiver.Outcome o) {
    requests.labelValues(Integer.toString(o.status())).inc();
    if (o.samples() > 0) {
      stored.inc(o.samples());
    }
    if (o.rejected() > 0) {
      refused.inc(o.rejected());
    }
  }
}
