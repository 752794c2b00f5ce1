package io.meridian.cli;

import io.meridian.tsdb.TsdbOptions;
import io.meridian.util.Clock;
import io.meridian.util.PromDuration;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
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
    ReceiverRole.Settings settings =
        new ReceiverRole.Settings(
            tsdbPath,
            listenAddress,
            TsdbOptions.withRetention(PromDuration.parse(retentionTime), 0)
                .withMaxHeadSeries(tenantMaxSeries),
            tenantHeader,
            defaultTenant,
            ingestionRate,
            ingestionBurst,
            flags());
    StopHook stop = StopHook.install();
    HeapKeeper.Running keeper = HeapKeeper.start();
    try (ReceiverRole role = ReceiverRole.start(settings, Clock.system())) {
      log.info(
          "receiving on {} (port {}), tenant header {}, default tenant {}, ready",
          listenAddress,
          role.port(),
          tenantHeader,
          defaultTenant);
      stop.await();
      log.info("stopping");
    } finally {
      keeper.close();
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
