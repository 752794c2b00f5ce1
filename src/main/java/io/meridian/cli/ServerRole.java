package io.meridian.cli;

import io.meridian.config.ConfigException;
import io.meridian.config.ConfigLoader;
import io.meridian.config.PrometheusConfig;
import io.meridian.config.RedactedYaml;
import io.meridian.promql.Engine;
import io.meridian.promql.EngineOptions;
import io.meridian.remote.Fanout;
import io.meridian.remote.QueueManager;
import io.meridian.remote.ReceiveMetrics;
import io.meridian.remote.RemoteQueryable;
import io.meridian.remote.RemoteStorageMetrics;
import io.meridian.remote.RemoteWriter;
import io.meridian.remote.WriteReceiver;
import io.meridian.scrape.MetricMetadata;
import io.meridian.scrape.ScrapeManager;
import io.meridian.tsdb.Tsdb;
import io.meridian.tsdb.TsdbMetrics;
import io.meridian.tsdb.TsdbOptions;
import io.meridian.util.BuildInfo;
import io.meridian.util.Clock;
import io.meridian.web.ApiBackend;
import io.meridian.web.RemoteWriteEndpoint;
import io.meridian.web.WebServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running server role: the TSDB, its scrape jobs, remote write and read, the HTTP API and {@code
 * /federate}, wired from one config file. {@code meridian server} runs one per process; {@code
 * meridian demo} runs several in its own JVM. Closing stops scraping first, flushes remote write,
 * and closes the TSDB cleanly (the head stays in the WAL for the next start).
 */
final class ServerRole implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ServerRole.class);

  /** A remote write body that inflates to more is refused unread (a decompression bomb). */
  static final int WRITE_MAX_DECOMPRESSED_BYTES = 256 << 20;

  /**
   * What a server role runs with; the command line's flags, or the demo's choices.
   *
   * @param flags the flag values the status page shows
   */
  record Settings(
      Path configFile,
      Path tsdbPath,
      String listenAddress,
      String routePrefix,
      TsdbOptions tsdb,
      EngineOptions engine,
      QueueManager.Options backlog,
      boolean adminApi,
      boolean lifecycle,
      boolean remoteWriteReceiver,
      Map<String, String> flags) {}

  private final Settings settings;
  private final Clock clock;
  private final Deque<AutoCloseable> opened = new ArrayDeque<>();
  private final AtomicBoolean ready = new AtomicBoolean();

  /** One reload at a time, whether from SIGHUP or {@code /-/reload}. */
  private final Object reloading = new Object();

  private final AtomicReference<ScrapeManager> scraping = new AtomicReference<>();
  private AtomicReference<ConfigLoader.Loaded> current;
  private Tsdb db;
  private RemoteWriter remote;
  private Fanout reads;
  private WebServer web;
  private int jobs;

  private ServerRole(Settings settings, Clock clock) {
    this.settings = settings;
    this.clock = clock;
  }

  /**
   * Loads the config, opens the TSDB and starts every part; ready when this returns.
   *
   * @throws RoleException for a config that does not load, with the reason
   * @throws IOException when the TSDB or the listen address cannot be opened
   */
  static ServerRole start(Settings settings, Clock clock) throws Exception {
    ServerRole role = new ServerRole(settings, clock);
    try {
      role.open();
      return role;
    } catch (Exception e) {
      role.close();
      throw e;
    }
  }

  private void open() throws Exception {
    ConfigLoader.Loaded loaded = load();
    PrometheusConfig config = loaded.config();
    current = new AtomicReference<>(loaded);
    log.info("opening TSDB at {}", settings.tsdbPath().toAbsolutePath());
    TsdbOptions tsdbOptions =
        settings.tsdb().withOutOfOrderWindow(config.storage().outOfOrderTimeWindow());
    db = Tsdb.open(settings.tsdbPath(), tsdbOptions, clock);
    opened.push(db);
    remote =
        new RemoteWriter(
            RemoteWriter.walOf(db), settings.tsdbPath(), settings.backlog(), clock, this::metadata);
    opened.push(remote);
    try {
      reads = new Fanout(db, sources(config));
    } catch (IOException e) {
      throw new RoleException(configError(e));
    }
    opened.push(() -> reads.replace(List.of()).forEach(RemoteQueryable::close));
    PrometheusRegistry registry = new PrometheusRegistry();
    TsdbMetrics.register(registry, db);
    RemoteStorageMetrics.register(registry, remote);
    JvmMetricSet.register(registry);
    ScheduledExecutorService housekeeping =
        Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().name("compaction").daemon().unstarted(r));
    opened.push(() -> {
      housekeeping.shutdownNow();
      housekeeping.awaitTermination(1, TimeUnit.MINUTES);
    });
    ScrapeManager scrapes = new ScrapeManager(db, clock);
    scraping.set(scrapes);
    opened.push(scrapes);
    ApiBackend backend =
        new ApiBackend(
            reads,
            new Engine(settings.engine(), clock),
            db,
            clock,
            BuildInfo.current(),
            settings.flags(),
            ready::get,
            registry,
            () -> current.get().config().global().externalLabels(),
            settings.adminApi(),
            settings.lifecycle() ? this::reload : null,
            scrapes::pools,
            () -> RedactedYaml.of(current.get().text()),
            db);
    RemoteWriteEndpoint write =
        settings.remoteWriteReceiver()
            ? RemoteWriteEndpoint.enabled(
                new WriteReceiver(
                    clock, WRITE_MAX_DECOMPRESSED_BYTES, ReceiveMetrics.register(registry)),
                db)
            : RemoteWriteEndpoint.disabled();
    web = WebServer.start(settings.listenAddress(), backend, settings.routePrefix(), write);
    opened.push(web);
    remote.apply(config.remoteWrite(), config.global().externalLabels());
    scrapes.apply(config);
    long every = Math.clamp(tsdbOptions.blockDuration().toSeconds() / 4, 1, 60);
    ScheduledFuture<?> rounds =
        housekeeping.scheduleWithFixedDelay(this::compact, every, every, TimeUnit.SECONDS);
    opened.push(() -> rounds.cancel(false));
    jobs = config.scrapeConfigs().size();
    ready.set(true);
  }

  int port() {
    return web.port();
  }

  int jobs() {
    return jobs;
  }

  /**
   * Loads the config file again and applies it: unchanged scrape jobs and targets keep running, as
   * in Prometheus. A refused file changes nothing; the reason goes back to the caller.
   */
  void reload() throws Exception {
    synchronized (reloading) {
      ConfigLoader.Loaded next = load();
      List<RemoteQueryable> sources = sources(next.config());
      remote.apply(next.config().remoteWrite(), next.config().global().externalLabels());
      scraping.get().apply(next.config());
      reads.replace(sources).forEach(RemoteQueryable::close);
      current.set(next);
      log.info("completed loading of configuration file {}", settings.configFile());
    }
  }

  /** SIGHUP's reload: nobody waits for an answer, so a refused file is logged. */
  void reloadLogged() {
    try {
      reload();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      log.error("error reloading config from {}: {}", settings.configFile(), e.getMessage());
    }
  }

  private ConfigLoader.Loaded load() throws RoleException {
    try {
      return ConfigLoader.loadWithText(settings.configFile(), System.getenv());
    } catch (ConfigException | IOException e) {
      throw new RoleException(configError(e));
    }
  }

  private String configError(Exception e) {
    return "error loading config from \"" + settings.configFile() + "\": " + e.getMessage();
  }

  private List<RemoteQueryable> sources(PrometheusConfig config) throws IOException {
    return RemoteReads.of(config, db, settings.tsdb().blockDuration(), clock);
  }

  private void compact() {
    try {
      db.compact();
    } catch (Exception e) {
      log.error("compaction failed: {}", e.toString());
    }
  }

  /** What the scrape targets said about their metrics, for remote write's metadata_config. */
  private List<MetricMetadata> metadata() {
    ScrapeManager s = scraping.get();
    return s == null ? List.of() : s.metadata();
  }

  /** Stops every part, the last opened first; the TSDB is closed last. */
  @Override
  public void close() throws IOException {
    ready.set(false);
    Exception failed = null;
    while (!opened.isEmpty()) {
      try {
        opened.pop().close();
      } catch (Exception e) {
        if (e instanceof InterruptedException) {
          Thread.currentThread().interrupt();
        }
        if (failed == null) {
          failed = e;
        } else {
          failed.addSuppressed(e);
        }
      }
    }
    if (failed instanceof IOException e) {
      throw e;
    }
    if (failed != null) {
      throw new IOException("stopping the server role: " + failed, failed);
    }
  }

  /** A role that cannot start for a reason its user can fix (a config error). */
  static final class RoleException extends Exception {
    private static final long serialVersionUID = 1L;

    RoleException(String message) {
      super(message);
    }
  }
}
