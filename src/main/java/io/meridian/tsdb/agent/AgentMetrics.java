package io.meridian.tsdb.agent;

import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/** The agent store's self-metrics, {@code meridian_agent_*}, read at scrape time. */
public final class AgentMetrics {
  private AgentMetrics() {}

  public static void register(PrometheusRegistry registry, AgentDb db) {
    GaugeWithCallback.builder()
        .name("meridian_agent_active_series")
        .help("Series the agent knows (appended since the last truncation).")
        .callback(cb -> cb.call(db.numSeries()))
        .register(registry);
    counter(
        registry, "meridian_agent_samples_appended_total", "Samples written to the WAL.", db, 0);
    counter(registry, "meridian_agent_series_created_total", "Series created.", db, 1);
    counter(
        registry,
        "meridian_agent_series_removed_total",
        "Series forgotten by truncation after they stopped.",
        db,
        2);
    counter(
        registry,
        "meridian_agent_out_of_order_samples_total",
        "Samples refused as older than their series' newest.",
        db,
        3);
  }

  private static void counter(
      PrometheusRegistry registry, String name, String help, AgentDb db, int which) {
    CounterWithCallback.builder()
        .name(name)
        .help(help)
        .callback(cb -> {
          AgentDb.Stats s = db.stats();
          long v =
              switch (which) {
                case 0 -> s.samplesAppended();
                case 1 -> s.seriesCreated();
                case 2 -> s.seriesRemoved();
                default -> s.outOfOrder();
              };
          cb.call((double) v);
        })
        .register(registry);
  }
}
