package io.meridian.cli;

import io.meridian.model.Labels;
import io.meridian.promql.Engine;
import io.meridian.promql.EngineOptions;
import io.meridian.remote.WriteReceiver;
import io.meridian.tenant.IngestionLimiter;
import io.meridian.tenant.TenantStores;
import io.meridian.tsdb.Tsdb;
import io.meridian.tsdb.TsdbOptions;
import io.meridian.util.BuildInfo;
import io.meridian.util.Clock;
import io.meridian.util.PromDuration;
import io.meridian.web.ApiBackend;
import io.meridian.web.TenantRouter;
import io.meridian.web.WebServer;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code meridian receive}: the central receiver of the multi-cluster setup. Takes remote write
 * from many clusters into one TSDB per tenant (the tenant from a header, as Cortex, Mimir and
 * Thanos Receive take it) and answers the query API, remote read and {@code /federate} per tenant
 * with the same header. A tenant's series limit is answered with 429.
 */
@Command(
    name = "receive",
    description = "Receive remote write into a TSDB per tenant, queried per tenant.",
    sortOptions = false)
final class ReceiveCommand implements java.util.concurrent.Callable<Integer> {
  private static final Logger log = LoggerFactory.getLogger(ReceiveCommand.class);
  private static final int WRITE_MAX_DECOMPRESSED_BYTES = 256 << 20;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--web.listen-address",
      defaultValue = "0.0.0.0:10908",
      description =
          "Address to listen on for remote write and the API (default: ${DEFAULT-VALUE}).")
  String listenAddress;

  @Option(
      names = "--storage.tsdb.path",
      defaultValue = "data/",
      description =
          "Base path for the tenants' TSDBs, one directory each (default: ${DEFAULT-VALUE}).")
  Path tsdbPath;

  @Option(
      names = "--storage.tsdb.retention.time",
      defaultValue = "15d",
      description = "How long to retain samples (default: ${DEFAULT-VALUE}).")
  String retentionTime;

  @Option(
      names = "--receive.tenant-header",
      defaultValue = "X-Scope-OrgID",
      description =
          "HTTP header naming the tenant (THANOS-TENANT is accepted too) (default: ${DEFAULT-VALUE}).")
  String tenantHeader;

  @Option(
      names = "--receive.default-tenant-id",
      defaultValue = "default-tenant",
      description = "Tenant of requests without the header (default: ${DEFAULT-VALUE}).")
  String defaultTenant;

  @Option(
      names = "--receive.tenant-max-series",
      defaultValue = "0",
      description =
          "Active series per tenant beyond which new series are refused with 429; 0 for no limit.")
  long tenantMaxSeries;

  @Option(
      names = "--receive.tenant-ingestion-rate",
      defaultValue = "0",
      description =
          "Samples per second each tenant may send; a request beyond it is refused with 429."
              + " 0 for no limit.")
  double ingestionRate;

  @Option(
      names = "--receive.tenant-ingestion-burst",
      defaultValue = "200000",
      description = "Samples a tenant may send at once above its rate (default: ${DEFAULT-VALUE}).")
  double ingestionBurst;

  @CommandLine.Mixin LogOptions logOptions;

  @Override
  public Integer call() throws Exception {
    try {
      logOptions.apply();
      PromDuration.parse(retentionTime);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    if (ingestionRate < 0 || ingestionBurst <= 0) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "--receive.tenant-ingestion-rate must not be negative and the burst must be positive");
    }
    if (tenantMaxSeries < 0) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--receive.tenant-max-series must not be negative");
    }
    if (io.meridian.tenant.TenantId.invalidReason(defaultTenant) != null) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "invalid --receive.default-tenant-id: "
              + io.meridian.tenant.TenantId.invalidReason(defaultTenant));
    }
    Duration retention = PromDuration.parse(retentionTime);
    Clock clock = Clock.system();
    StopHook stop = StopHook.install();
    log.info("opening tenant TSDBs under {}", tsdbPath.toAbsolutePath());
    try (TenantStores stores =
        new TenantStores(
            tsdbPath,
            TsdbOptions.withRetention(retention, 0).withMaxHeadSeries(tenantMaxSeries),
            clock)) {
      PrometheusRegistry registry = new PrometheusRegistry();
      JvmMetrics.builder().register(registry);
      Engine engine = new Engine(EngineOptions.defaults(), clock);
      Map<String, String> flags = flags();
      java.util.function.Function<Tsdb, ApiBackend> backends =
          db ->
              new ApiBackend(
                  db,
                  engine,
                  db,
                  clock,
                  BuildInfo.current(),
                  flags,
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
              tenantHeader,
              defaultTenant,
              new WriteReceiver(
                  clock,
                  WRITE_MAX_DECOMPRESSED_BYTES,
                  io.meridian.remote.ReceiveMetrics.register(registry)),
              backends,
              ingestionRate > 0
                  ? () -> new IngestionLimiter(ingestionRate, ingestionBurst, clock)
                  : null);
      ScheduledExecutorService housekeeping =
          Executors.newSingleThreadScheduledExecutor(
              r -> Thread.ofPlatform().name("compaction").daemon().unstarted(r));
      try (WebServer web =
          WebServer.startTenanted(
              listenAddress, router, backends.apply(stores.get(defaultTenant)))) {
        var rounds =
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
        var keeping =
            HeapKeeper.forSerialCollector()
                .map(k -> housekeeping.scheduleWithFixedDelay(k::check, 30, 30, TimeUnit.SECONDS));
        log.info(
            "receiving on {} (port {}), tenant header {}, default tenant {}, ready",
            listenAddress,
            web.port(),
            tenantHeader,
            defaultTenant);
        stop.await();
        log.info("stopping");
        rounds.cancel(false);
        keeping.ifPresent(f -> f.cancel(false));
      } finally {
        housekeeping.shutdownNow();
        housekeeping.awaitTermination(1, TimeUnit.MINUTES);
      }
    } finally {
      log.info("stopped");
      stop.close();
    }
    return 0;
  }

  private Map<String, String> flags() {
    Map<String, String> f = new LinkedHashMap<>();
    f.put("web.listen-address", listenAddress);
    f.put("storage.tsdb.path", tsdbPath.toString());
    f.put("storage.tsdb.retention.time", retentionTime);
    f.put("receive.tenant-header", tenantHeader);
    f.put("receive.default-tenant-id", defaultTenant);
    f.put("receive.tenant-max-series", Long.toString(tenantMaxSeries));
    f.put("receive.tenant-ingestion-rate", Double.toString(ingestionRate));
    f.put("receive.tenant-ingestion-burst", Double.toString(ingestionBurst));
    logOptions.addTo(f);
    return f;
  }
}
