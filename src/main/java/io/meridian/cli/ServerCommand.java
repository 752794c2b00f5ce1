package io.meridian.cli;

import io.meridian.config.ByteSize;
import io.meridian.promql.EngineOptions;
import io.meridian.tsdb.TsdbOptions;
import io.meridian.util.Clock;
import io.meridian.util.PromDuration;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code meridian server}: the TSDB, the PromQL HTTP API and {@code /federate}, with Prometheus's
 * flag names and config file so existing unit files work (the config's external labels and
 * out-of-order window are used, its scrape jobs run, its {@code remote_write} endpoints are sent
 * the WAL, queries read its {@code remote_read} endpoints beside the TSDB, SIGHUP and {@code
 * /-/reload} reload it; rules come with their issue). Compaction and retention run once a minute;
 * SIGTERM or Ctrl-C closes everything cleanly (the WAL is synced, the head stays in it for the next
 * start).
 */
@Command(
    name = "server",
    description = "Run the TSDB and the Prometheus-compatible query API.",
    sortOptions = false)
final class ServerCommand implements java.util.concurrent.Callable<Integer> {
  private static final Logger log = LoggerFactory.getLogger(ServerCommand.class);

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--config.file",
      defaultValue = "prometheus.yml",
      description = "Prometheus configuration file path (default: ${DEFAULT-VALUE}).")
  Path configFile;

  @Option(
      names = "--storage.tsdb.path",
      defaultValue = "data/",
      description = "Base path for metrics storage (default: ${DEFAULT-VALUE}).")
  Path tsdbPath;

  @Option(
      names = "--storage.tsdb.retention.time",
      defaultValue = "15d",
      description = "How long to retain samples in storage (default: ${DEFAULT-VALUE}).")
  String retentionTime;

  @Option(
      names = "--storage.tsdb.retention.size",
      defaultValue = "0",
      description =
          "Maximum number of bytes of blocks to keep, with a unit (512MB, 10GB); 0 is no limit.")
  String retentionSize;

  @Option(
      names = "--web.listen-address",
      defaultValue = "0.0.0.0:9090",
      description =
          "Address to listen on for the UI, API and telemetry (default: ${DEFAULT-VALUE}).")
  String listenAddress;

  @Option(
      names = "--query.lookback-delta",
      defaultValue = "5m",
      description =
          "How far back an instant selector looks for a sample (default: ${DEFAULT-VALUE}).")
  String lookbackDelta;

  @Option(
      names = "--query.max-samples",
      defaultValue = "50000000",
      description = "Most samples a single query may load (default: ${DEFAULT-VALUE}).")
  long maxSamples;

  @Option(
      names = "--query.timeout",
      defaultValue = "2m",
      description = "Longest a query may take before it is aborted (default: ${DEFAULT-VALUE}).")
  String queryTimeout;

  @Option(
      names = "--query.max-concurrency",
      defaultValue = "20",
      description = "Most queries evaluated at once; more wait (default: ${DEFAULT-VALUE}).")
  int maxConcurrency;

  @Option(
      names = "--web.enable-admin-api",
      description = "Serve the admin endpoints (delete_series, clean_tombstones).")
  boolean adminApi;

  @Option(
      names = "--web.enable-remote-write-receiver",
      description =
          "Accept remote write (1.0 and 2.0) on POST /api/v1/write and /api/v1/receive into this"
              + " server's storage.")
  boolean remoteWriteReceiver;

  @Option(
      names = "--web.enable-lifecycle",
      description = "Serve POST /-/reload, which reloads the configuration file.")
  boolean lifecycle;

  @Option(
      names = "--web.external-url",
      defaultValue = "",
      description =
          "The URL under which Meridian is reached (behind a reverse proxy); its path is the"
              + " prefix of every route.")
  String externalUrl;

  @Option(
      names = "--storage.tsdb.max-head-series",
      defaultValue = "0",
      description =
          "Most series the head holds; samples of new series beyond it are refused, counted and"
              + " shown on their targets, instead of running out of memory. 0 is no limit.")
  long maxHeadSeries;

  @CommandLine.Mixin BacklogOptions backlogOptions;

  @Option(
      names = "--storage.tsdb.min-block-duration",
      defaultValue = "2h",
      hidden = true,
      description = "Length of the blocks cut from the head (tests shorten it).")
  String blockDuration;

  @Option(
      names = "--storage.tsdb.wal-segment-size",
      defaultValue = "128MB",
      description = "Size at which a WAL segment is closed and the next one started.")
  String walSegmentSize;

  @CommandLine.Mixin LogOptions logOptions;

  @Override
  public Integer call() throws Exception {
    try {
      logOptions.apply();
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    String routePrefix = routePrefix();
    if (maxHeadSeries < 0) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--storage.tsdb.max-head-series must not be negative");
    }
    EngineOptions engineOptions =
        new EngineOptions(
            duration("--query.lookback-delta", lookbackDelta),
            maxSamples,
            duration("--query.timeout", queryTimeout),
            maxConcurrency,
            true,
            Duration.ofMinutes(1));
    TsdbOptions tsdbOptions =
        TsdbOptions.withRetention(
                duration("--storage.tsdb.retention.time", retentionTime),
                bytes("--storage.tsdb.retention.size", retentionSize))
            .withBlockDuration(duration("--storage.tsdb.min-block-duration", blockDuration))
            .withWalSegmentSize(bytes("--storage.tsdb.wal-segment-size", walSegmentSize))
            .withMaxHeadSeries(maxHeadSeries);
    ServerRole.Settings settings =
        new ServerRole.Settings(
            configFile,
            tsdbPath,
            listenAddress,
            routePrefix,
            tsdbOptions,
            engineOptions,
            backlogOptions.options(spec.commandLine()),
            adminApi,
            lifecycle,
            remoteWriteReceiver,
            flags());
    StopHook stop = StopHook.install();
    Signals.Hangup hangup = Signals.Hangup.install();
    HeapKeeper.Running keeper = HeapKeeper.start();
    try {
      ServerRole role;
      try {
        role = ServerRole.start(settings, Clock.system());
      } catch (ServerRole.RoleException e) {
        spec.commandLine().getErr().println(e.getMessage());
        return 1;
      }
      try (role) {
        hangup.bind(role::reloadLogged);
        log.info(
            "listening on {} (port {}), scraping {} jobs, ready",
            listenAddress,
            role.port(),
            role.jobs());
        stop.await();
        log.info("stopping");
      }
    } finally {
      keeper.close();
      log.info("stopped");
      stop.close();
    }
    return 0;
  }

  /** The path of {@code --web.external-url}, which prefixes every route, as in Prometheus. */
  private String routePrefix() {
    if (externalUrl.isEmpty()) {
      return "";
    }
    try {
      java.net.URI u = new java.net.URI(externalUrl);
      if (u.getScheme() == null || u.getHost() == null) {
        throw new java.net.URISyntaxException(externalUrl, "needs a scheme and a host");
      }
      String path = u.getPath() == null ? "" : u.getPath();
      return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    } catch (java.net.URISyntaxException e) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "invalid value for --web.external-url: " + e.getMessage());
    }
  }

  private Map<String, String> flags() {
    Map<String, String> f = new LinkedHashMap<>();
    f.put("config.file", configFile.toString());
    f.put("storage.tsdb.path", tsdbPath.toString());
    f.put("storage.tsdb.retention.time", retentionTime);
    f.put("storage.tsdb.retention.size", retentionSize);
    f.put("web.listen-address", listenAddress);
    f.put("query.lookback-delta", lookbackDelta);
    f.put("query.max-samples", Long.toString(maxSamples));
    f.put("query.timeout", queryTimeout);
    f.put("query.max-concurrency", Integer.toString(maxConcurrency));
    f.put("web.enable-admin-api", Boolean.toString(adminApi));
    f.put("web.enable-lifecycle", Boolean.toString(lifecycle));
    f.put("web.enable-remote-write-receiver", Boolean.toString(remoteWriteReceiver));
    f.put("web.external-url", externalUrl);
    f.put("storage.tsdb.max-head-series", Long.toString(maxHeadSeries));
    f.put("storage.tsdb.wal-segment-size", walSegmentSize);
    backlogOptions.addTo(f);
    logOptions.addTo(f);
    return f;
  }

  private Duration duration(String flag, String v) {
    try {
      return PromDuration.parse(v);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "invalid value for " + flag + ": " + e.getMessage());
    }
  }

  private long bytes(String flag, String v) {
    try {
      return ByteSize.parse(v);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "invalid value for " + flag + ": " + e.getMessage());
    }
  }
}
