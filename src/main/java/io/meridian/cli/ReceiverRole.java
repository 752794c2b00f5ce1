package io.meridian.cli;

import io.meridian.model.Labels;
import io.meridian.promql.Engine;
import io.meridian.promql.EngineOptions;
import io.meridian.remote.ReceiveMetrics;
import io.meridian.remote.WriteReceiver;
import io.meridian.tenant.IngestionLimiter;
import io.meridian.tenant.TenantStores;
import io.meridian.tsdb.Tsdb;
import io.meridian.tsdb.TsdbOptions;
import io.meridian.util.BuildInfo;
import io.meridian.util.Clock;
import io.meridian.web.ApiBackend;
import io.meridian.web.TenantRouter;
import io.meridian.web.WebServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running receiver role: remote write into a TSDB per tenant, the query API per tenant. {@code
 * meridian receive} runs one per process; {@code meridian demo} runs one in its own JVM. Closing
 * stops the web server first, so nothing is taken that is not stored, then closes every tenant's
 * TSDB.
 */
final class ReceiverRole implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ReceiverRole.class);

  /**
   * What a receiver role runs with.
   *
   * @param ingestionRate samples per second per tenant, 0 for no limit
   * @param flags the flag values the status page shows
   */
  record Settings(
      Path tsdbPath,
      String listenAddress,
      TsdbOptions tsdb,
      String tenantHeader,
      String defaultTenant,
      double ingestionRate,
      double ingestionBurst,
      Map<String, String> flags) {}

  private final TenantStores stores;
  private final ScheduledExecutorService housekeeping;
  private final WebServer web;

  private ReceiverRole(TenantStores stores, ScheduledExecutorService housekeeping, WebServer web) {
    this.stores = stores;
    this.housekeeping = housekeeping;
    this.web = web;
  }

  /** Opens the tenants' TSDBs and starts listening; ready when this returns. */
  static ReceiverRole start(Settings s, Clock clock) throws Exception {
    log.info("opening tenant TSDBs under {}", s.tsdbPath().toAbsolutePath());
    TenantStores stores = new TenantStores(s.tsdbPath(), s.tsdb(), clock);
    ScheduledExecutorService housekeeping =
        Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().name("compaction").daemon().unstarted(r));
    try {
      PrometheusRegistry registry = new PrometheusRegistry();
      JvmMetricSet.register(registry);
      Engine engine = new Engine(EngineOptions.defaults(), clock);
      Function<Tsdb, ApiBackend> backends =
          db ->
              new ApiBackend(
                  db,
                  engine,
                  db,
                  clock,
                  BuildInfo.current(),
                  s.flags(),
                  () -> true,
                  registry,
                  () -> Labels.EMPTY,
                  false,
                  null,
                  Map::of,
                  () -> "");
      TenantRouter router =
          new TenantRouter(
              stores,
              s.tenantHeader(),
              s.defaultTenant(),
              new WriteReceiver(
                  clock,
                  ServerRole.WRITE_MAX_DECOMPRESSED_BYTES,
                  ReceiveMetrics.register(registry)),
              backends,
              s.ingestionRate() > 0
                  ? () -> new IngestionLimiter(s.ingestionRate(), s.ingestionBurst(), clock)
                  : null);
      WebServer web =
          WebServer.startTenanted(
              s.listenAddress(), router, backends.apply(stores.get(s.defaultTenant())));
      var _ =
          housekeeping.scheduleWithFixedDelay(
              () -> {
                try {
                  stores.compactAll();
                } catch (Exception e) {
                  log.error("compaction failed: {}", e.toString());
                }
              },
              1,
              1,
              TimeUnit.MINUTES);
      return new ReceiverRole(stores, housekeeping, web);
    } catch (Exception e) {
      housekeeping.shutdownNow();
      stores.close();
      throw e;
    }
  }

  int port() {
    return web.port();
  }

  @Override
  public void close() throws IOException {
    try (stores) {
      web.close();
      housekeeping.shutdownNow();
      housekeeping.awaitTermination(1, TimeUnit.MINUTES);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
