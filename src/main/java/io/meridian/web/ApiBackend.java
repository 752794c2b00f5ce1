package io.meridian.web;

import io.meridian.promql.Engine;
import io.meridian.storage.Queryable;
import io.meridian.tsdb.Tsdb;
import io.meridian.util.BuildInfo;
import io.meridian.util.Clock;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * What the API answers from: the store queries read (with a server's {@code remote_read} sources
 * merged in), the local store {@code /federate} reads, the engine, the TSDB for its status page,
 * and what the status pages report about the process.
 *
 * @param tsdb the local TSDB for {@code /api/v1/status/tsdb}, or null when there is none
 * @param flags the command line flags as Prometheus names them, for {@code /api/v1/status/flags}
 * @param ready whether the server has finished starting (WAL replayed)
 * @param registry Meridian's own metrics, served on {@code /metrics}
 * @param externalLabels the config's {@code external_labels} (as last loaded), added to what {@code
 *     /federate} serves
 * @param adminApi whether {@code /api/v1/admin/*} is served ({@code --web.enable-admin-api})
 * @param reload reloads the configuration for {@code POST /-/reload}, or null when {@code
 *     --web.enable-lifecycle} is off
 * @param scrapePools the scrape pools by job, for {@code /api/v1/targets} and the metadata APIs
 * @param configYaml the loaded configuration file's text with secrets hidden, for {@code
 *     /api/v1/status/config}
 * @param localStorage the local store alone, which {@code /federate} reads (as Prometheus's
 *     federation leaves {@code remote_read} sources out)
 */
public record ApiBackend(
    Queryable storage,
    Engine engine,
    Tsdb tsdb,
    Clock clock,
    BuildInfo build,
    Map<String, String> flags,
    BooleanSupplier ready,
    PrometheusRegistry registry,
    java.util.function.Supplier<io.meridian.model.Labels> externalLabels,
    boolean adminApi,
    Reload reload,
    java.util.function.Supplier<Map<String, io.meridian.scrape.ScrapePool>> scrapePools,
    java.util.function.Supplier<String> configYaml,
    Queryable localStorage) {
  /** Reloads the configuration; throws with the reason when the new one is refused. */
  @FunctionalInterface
  public interface Reload {
    void run() throws Exception;
  }

  public ApiBackend {
    flags = Map.copyOf(flags);
  }

  /** A backend whose queries read only the local store. */
  public ApiBackend(
      Queryable storage,
      Engine engine,
      Tsdb tsdb,
      Clock clock,
      BuildInfo build,
      Map<String, String> flags,
      BooleanSupplier ready,
      PrometheusRegistry registry,
      java.util.function.Supplier<io.meridian.model.Labels> externalLabels,
      boolean adminApi,
      Reload reload,
      java.util.function.Supplier<Map<String, io.meridian.scrape.ScrapePool>> scrapePools,
      java.util.function.Supplier<String> configYaml) {
    this(
        storage,
        engine,
        tsdb,
        clock,
        build,
        flags,
        ready,
        registry,
        externalLabels,
        adminApi,
        reload,
        scrapePools,
        configYaml,
        storage);
  }
}
