package io.meridian.cli;

import io.meridian.config.ByteSize;
import io.meridian.config.ConfigException;
import io.meridian.config.ConfigLoader;
import io.meridian.config.PrometheusConfig;
import io.meridian.config.RedactedYaml;
import io.meridian.promql.Engine;
import io.meridian.promql.EngineOptions;
import io.meridian.remote.Fanout;
import io.meridian.remote.QueueManager;
import io.meridian.remote.RemoteQueryable;
import io.meridian.remote.RemoteStorageMetrics;
import io.meridian.remote.RemoteWriter;
import io.meridian.remote.WriteReceiver;
import io.meridian.scrape.ScrapeManager;
import io.meridian.tsdb.Tsdb;
import io.meridian.tsdb.TsdbMetrics;
import io.meridian.tsdb.TsdbOptions;
import io.meridian.util.BuildInfo;
import io.meridian.util.Clock;
import io.meridian.util.PromDuration;
import io.meridian.web.ApiBackend;
import io.meridian.web.RemoteWriteEndpoint;
import io.meridian.web.WebServer;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
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

  /** A remote write body that inflates to more is refused unread (a decompression bomb). */
  private static final int WRITE_MAX_DECOMPRESSED_BYTES = 256 << 20;

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

  /** One reload at a time, whether from SIGHUP or {@code /-/reload}. */
  private final Object reloading = new Object();

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
    Duration retention = duration("--storage.tsdb.retention.time", retentionTime);
    long retentionBytes = bytes("--storage.tsdb.retention.size", retentionSize);
    EngineOptions engineOptions =
        new EngineOptions(
            duration("--query.lookback-delta", lookbackDelta),
            maxSamples,
            duration("--query.timeout", queryTimeout),
            maxConcurrency,
            true,
            Duration.ofMinutes(1));
    ConfigLoader.Loaded loaded;
    try {
      loaded = ConfigLoader.loadWithText(configFile, System.getenv());
    } catch (ConfigException | java.io.IOException e) {
      spec.commandLine()
          .getErr()
          .println("error loading config from \"" + configFile + "\": " + e.getMessage());
      return 1;
    }
    PrometheusConfig config = loaded.config();
    Duration blocks = duration("--storage.tsdb.min-block-duration", blockDuration);
    long segmentBytes = bytes("--storage.tsdb.wal-segment-size", walSegmentSize);
    QueueManager.Options backlog = backlogOptions.options(spec.commandLine());
    Clock clock = Clock.system();
    AtomicBoolean ready = new AtomicBoolean();
    StopHook stop = StopHook.install();
    log.info("opening TSDB at {}", tsdbPath.toAbsolutePath());
    TsdbOptions tsdbOptions =
        TsdbOptions.withRetention(retention, retentionBytes)
            .withBlockDuration(blocks)
            .withWalSegmentSize(segmentBytes)
            .withOutOfOrderWindow(config.storage().outOfOrderTimeWindow())
            .withMaxHeadSeries(maxHeadSeries);
    AtomicReference<ScrapeManager> scraping = new AtomicReference<>();
    try (Tsdb db = Tsdb.open(tsdbPath, tsdbOptions, clock);
        RemoteWriter remote =
            new RemoteWriter(
                RemoteWriter.walOf(db), tsdbPath, backlog, clock, () -> scrapeMetadata(scraping))) {
      Fanout reads;
      try {
        reads = new Fanout(db, RemoteReads.of(config, db, tsdbOptions.blockDuration(), clock));
      } catch (java.io.IOException e) {
        spec.commandLine()
            .getErr()
            .println("error loading config from \"" + configFile + "\": " + e.getMessage());
        return 1;
      }
      PrometheusRegistry registry = new PrometheusRegistry();
      TsdbMetrics.register(registry, db);
      RemoteStorageMetrics.register(registry, remote);
      JvmMetrics.builder().register(registry);
      ScheduledExecutorService housekeeping =
          Executors.newSingleThreadScheduledExecutor(
              r -> Thread.ofPlatform().name("compaction").daemon().unstarted(r));
      AtomicReference<ConfigLoader.Loaded> current = new AtomicReference<>(loaded);
      try (ScrapeManager scrapes = new ScrapeManager(db, clock)) {
        scraping.set(scrapes);
        Remotes remotes = new Remotes(reads, remote, db, tsdbOptions.blockDuration(), clock);
        ApiBackend backend =
            new ApiBackend(
                reads,
                new Engine(engineOptions, clock),
                db,
                clock,
                BuildInfo.current(),
                flags(),
                ready::get,
                registry,
                () -> current.get().config().global().externalLabels(),
                adminApi,
                lifecycle ? () -> reload(scrapes, remotes, current) : null,
                scrapes::pools,
                () -> RedactedYaml.of(current.get().text()),
                db);
        RemoteWriteEndpoint write =
            remoteWriteReceiver
                ? RemoteWriteEndpoint.enabled(
                    new WriteReceiver(
                        clock,
                        WRITE_MAX_DECOMPRESSED_BYTES,
                        io.meridian.remote.ReceiveMetrics.register(registry)),
                    db)
                : RemoteWriteEndpoint.disabled();
        try (WebServer web = WebServer.start(listenAddress, backend, routePrefix, write)) {
          remote.apply(config.remoteWrite(), config.global().externalLabels());
          scrapes.apply(config);
          Signals.onHangup(() -> reloadLogged(scrapes, remotes, current));
          long every = Math.clamp(blocks.toSeconds() / 4, 1, 60);
          var rounds =
              housekeeping.scheduleWithFixedDelay(
                  () -> compact(db), every, every, TimeUnit.SECONDS);
          var keeping =
              HeapKeeper.forSerialCollector()
                  .map(
                      k -> housekeeping.scheduleWithFixedDelay(k::check, 30, 30, TimeUnit.SECONDS));
          ready.set(true);
          log.info(
              "listening on {} (port {}), scraping {} jobs, ready",
              listenAddress,
              web.port(),
              config.scrapeConfigs().size());
          stop.await();
          log.info("stopping");
          rounds.cancel(false);
          keeping.ifPresent(f -> f.cancel(false));
        }
      } finally {
        reads.replace(List.of()).forEach(RemoteQueryable::close);
        housekeeping.shutdownNow();
        housekeeping.awaitTermination(1, TimeUnit.MINUTES);
      }
    } finally {
      log.info("stopped");
      stop.close();
    }
    return 0;
  }

  /**
   * Loads the config file again and applies it: unchanged scrape jobs and targets keep running, as
   * in Prometheus. A refused file changes nothing; the reason goes back to the caller.
   */
  private void reload(
      ScrapeManager scrapes, Remotes remotes, AtomicReference<ConfigLoader.Loaded> current)
      throws Exception {
    synchronized (reloading) {
      ConfigLoader.Loaded next = ConfigLoader.loadWithText(configFile, System.getenv());
      List<RemoteQueryable> sources = remotes.make(next.config());
      remotes.writer().apply(next.config().remoteWrite(), next.config().global().externalLabels());
      scrapes.apply(next.config());
      remotes.reads().replace(sources).forEach(RemoteQueryable::close);
      current.set(next);
      log.info("completed loading of configuration file {}", configFile);
    }
  }

  /** SIGHUP's reload: nobody waits for an answer, so a refused file is logged. */
  private void reloadLogged(
      ScrapeManager scrapes, Remotes remotes, AtomicReference<ConfigLoader.Loaded> current) {
    try {
      reload(scrapes, remotes, current);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      log.error("error reloading config from {}: {}", configFile, e.getMessage());
    }
  }

  /**
   * The remote endpoints: the fanout queries read (and how to make its remote sources again from a
   * reloaded config) and the remote write queues.
   */
  private record Remotes(
      Fanout reads, RemoteWriter writer, Tsdb db, Duration blockDuration, Clock clock) {
    List<RemoteQueryable> make(PrometheusConfig config) throws java.io.IOException {
      return RemoteReads.of(config, db, blockDuration, clock);
    }
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

  private static void compact(Tsdb db) {
    try {
      db.compact();
    } catch (Exception e) {
      log.error("compaction failed: {}", e.toString());
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

  /** What the scrape targets said about their metrics, for remote write's metadata_config. */
  static java.util.List<io.meridian.scrape.MetricMetadata> scrapeMetadata(
      AtomicReference<ScrapeManager> scraping) {
    ScrapeManager s = scraping.get();
    return s == null ? java.util.List.of() : s.metadata();
  }
}
