package io.meridian.cli;

import io.meridian.config.ByteSize;
import io.meridian.config.ConfigException;
import io.meridian.config.ConfigLoader;
import io.meridian.config.PrometheusConfig;
import io.meridian.config.RedactedYaml;
import io.meridian.remote.RemoteStorageMetrics;
import io.meridian.remote.RemoteWriter;
import io.meridian.scrape.ScrapeManager;
import io.meridian.tsdb.agent.AgentDb;
import io.meridian.tsdb.agent.AgentMetrics;
import io.meridian.util.BuildInfo;
import io.meridian.util.Clock;
import io.meridian.util.PromDuration;
import io.meridian.web.ApiBackend;
import io.meridian.web.WebServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
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
 * {@code meridian agent}: scrape and remote write only, as Prometheus's agent mode. Samples go to a
 * WAL-only store ({@link AgentDb}) that the {@code remote_write} queues read; nothing is queryable.
 * The HTTP server answers health, readiness, reload, {@code /metrics}, the targets and status
 * pages. Series not appended for a truncation period are forgotten and the WAL below what the
 * queues still need is checkpointed.
 */
@Command(
    name = "agent",
    description = "Scrape and remote write only (Prometheus's agent mode): a WAL, no queries.",
    sortOptions = false)
final class AgentCommand implements java.util.concurrent.Callable<Integer> {
  private static final Logger log = LoggerFactory.getLogger(AgentCommand.class);

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--config.file",
      defaultValue = "prometheus.yml",
      description = "Prometheus configuration file (scrape_configs and remote_write).")
  Path configFile;

  @Option(
      names = "--storage.agent.path",
      defaultValue = "data-agent/",
      description = "Directory of the agent's WAL.")
  Path agentPath;

  @Option(
      names = "--web.listen-address",
      defaultValue = "0.0.0.0:9090",
      description = "Address to listen on for health, metrics and the status pages.")
  String listenAddress;

  @Option(
      names = "--web.enable-lifecycle",
      description = "Serve POST /-/reload, which reloads the configuration file.")
  boolean lifecycle;

  @Option(
      names = "--storage.agent.wal-segment-size",
      defaultValue = "128MB",
      description = "Size at which a WAL segment is closed and the next one started.")
  String walSegmentSize;

  @Option(
      names = "--storage.agent.wal-truncate-frequency",
      defaultValue = "2h",
      description =
          "How often series that stopped are forgotten and the WAL the remotes have sent is"
              + " checkpointed.")
  String truncateFrequency;

  @CommandLine.Mixin BacklogOptions backlogOptions;

  @CommandLine.Mixin LogOptions logOptions;

  private final Object reloading = new Object();

  @Override
  public Integer call() throws Exception {
    long segmentBytes;
    Duration truncateEvery;
    try {
      logOptions.apply();
      segmentBytes = ByteSize.parse(walSegmentSize);
      truncateEvery = PromDuration.parse(truncateFrequency);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    if (truncateEvery.toMillis() <= 0) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--storage.agent.wal-truncate-frequency must be positive");
    }
    var backlog = backlogOptions.options(spec.commandLine());
    ConfigLoader.Loaded loaded;
    try {
      loaded = load();
    } catch (ConfigException | java.io.IOException e) {
      spec.commandLine()
          .getErr()
          .println("error loading config from \"" + configFile + "\": " + e.getMessage());
      return 1;
    }
    PrometheusConfig config = loaded.config();
    Clock clock = Clock.system();
    AtomicBoolean ready = new AtomicBoolean();
    StopHook stop = StopHook.install();
    log.info("opening agent WAL at {}", agentPath.toAbsolutePath());
    AtomicReference<ScrapeManager> scraping = new AtomicReference<>();
    try (AgentDb db = AgentDb.open(agentPath, segmentBytes);
        RemoteWriter remote =
            new RemoteWriter(
                RemoteWriter.walOf(db), agentPath, backlog, clock, () -> metadata(scraping))) {
      PrometheusRegistry registry = new PrometheusRegistry();
      AgentMetrics.register(registry, db);
      RemoteStorageMetrics.register(registry, remote);
      JvmMetricSet.register(registry);
      AtomicReference<ConfigLoader.Loaded> current = new AtomicReference<>(loaded);
      ScheduledExecutorService housekeeping =
          Executors.newSingleThreadScheduledExecutor(
              r -> Thread.ofPlatform().name("truncation").daemon().unstarted(r));
      try (ScrapeManager scrapes = new ScrapeManager(db, clock)) {
        scraping.set(scrapes);
        ApiBackend backend =
            new ApiBackend(
                null,
                null,
                null,
                clock,
                BuildInfo.current(),
                flags(),
                ready::get,
                registry,
                () -> current.get().config().global().externalLabels(),
                false,
                lifecycle ? () -> reload(scrapes, remote, current) : null,
                scrapes::pools,
                () -> RedactedYaml.of(current.get().text()));
        try (WebServer web = WebServer.startAgent(listenAddress, backend)) {
          remote.apply(config.remoteWrite(), config.global().externalLabels());
          scrapes.apply(config);
          Signals.onHangup(() -> reloadLogged(scrapes, remote, current));
          long every = truncateEvery.toMillis();
          var truncation =
              housekeeping.scheduleWithFixedDelay(
                  () -> truncate(db, clock, every), every, every, TimeUnit.MILLISECONDS);
          HeapKeeper.Running keeping = HeapKeeper.start();
          ready.set(true);
          log.info(
              "agent listening on {} (port {}), scraping {} jobs, sending to {} remotes, ready",
              listenAddress,
              web.port(),
              config.scrapeConfigs().size(),
              config.remoteWrite().size());
          stop.await();
          log.info("stopping");
          truncation.cancel(false);
          keeping.close();
        }
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

  /** The config file, refused where it asks for what an agent does not do (as Prometheus's). */
  private ConfigLoader.Loaded load() throws ConfigException, java.io.IOException {
    ConfigLoader.Loaded l = ConfigLoader.loadWithText(configFile, System.getenv());
    List<String> refused = new ArrayList<>();
    if (!l.config().ruleFiles().isEmpty()) {
      refused.add("rule_files");
    }
    if (!l.config().remoteRead().isEmpty()) {
      refused.add("remote_read");
    }
    if (!refused.isEmpty()) {
      throw new java.io.IOException(
          "field " + String.join(", ", refused) + " is not allowed in agent mode");
    }
    return l;
  }

  private static void truncate(AgentDb db, Clock clock, long everyMillis) {
    try {
      db.truncate(clock.millis() - everyMillis);
    } catch (Exception e) {
      log.error("agent WAL truncation failed: {}", e.toString());
    }
  }

  private void reload(
      ScrapeManager scrapes, RemoteWriter remote, AtomicReference<ConfigLoader.Loaded> current)
      throws Exception {
    synchronized (reloading) {
      ConfigLoader.Loaded next = load();
      remote.apply(next.config().remoteWrite(), next.config().global().externalLabels());
      scrapes.apply(next.config());
      current.set(next);
      log.info("completed loading of configuration file {}", configFile);
    }
  }

  private void reloadLogged(
      ScrapeManager scrapes, RemoteWriter remote, AtomicReference<ConfigLoader.Loaded> current) {
    try {
      reload(scrapes, remote, current);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      log.error("error reloading config from {}: {}", configFile, e.getMessage());
    }
  }

  private Map<String, String> flags() {
    Map<String, String> f = new LinkedHashMap<>();
    f.put("agent", "true");
    f.put("config.file", configFile.toString());
    f.put("storage.agent.path", agentPath.toString());
    f.put("storage.agent.wal-segment-size", walSegmentSize);
    f.put("storage.agent.wal-truncate-frequency", truncateFrequency);
    f.put("web.listen-address", listenAddress);
    f.put("web.enable-lifecycle", Boolean.toString(lifecycle));
    backlogOptions.addTo(f);
    logOptions.addTo(f);
    return f;
  }

  /** What the scrape targets said about their metrics, for remote write's metadata_config. */
  private static java.util.List<io.meridian.scrape.MetricMetadata> metadata(
      AtomicReference<ScrapeManager> scraping) {
    ScrapeManager s = scraping.get();
    return s == null ? java.util.List.of() : s.metadata();
  }
}
