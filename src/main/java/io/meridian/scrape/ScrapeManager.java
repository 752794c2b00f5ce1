package io.meridian.scrape;

import io.meridian.config.FileSdConfig;
import io.meridian.config.PrometheusConfig;
import io.meridian.config.ScrapeConfig;
import io.meridian.discovery.Discoverer;
import io.meridian.discovery.FileDiscoverer;
import io.meridian.discovery.TargetGroup;
import io.meridian.relabel.RelabelRule;
import io.meridian.storage.AppendableStore;
import io.meridian.util.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@link ScrapePool} per job of the config, fed by the job's {@code static_configs} and the
 * groups of its discoverers (one per {@code file_sd_configs} entry): when a discoverer's groups
 * change, the job's targets are synced again. {@link #apply} reloads: a job whose scrape settings
 * are unchanged keeps its pool, and only its targets are synced (loops of unchanged targets keep
 * running); a job whose settings changed gets a new pool; a job no longer configured has its pool
 * closed, marking its series stale. A job keeps its discoverers while its {@code file_sd_configs}
 * stay the same. Thread-safe.
 */
public final class ScrapeManager implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ScrapeManager.class);

  private final BiFunction<ScrapeConfig, Long, ScrapePool> pools;
  private final Function<FileSdConfig, Discoverer> discoverers;
  private final Map<String, Job> jobs = new LinkedHashMap<>();

  /** A job's config as last applied, its pool and its running discoverers. */
  private static final class Job {
    ScrapeConfig cfg;
    ScrapePool pool;
    Discoverers discoverers;
  }

  /** A job's discoverers, started together; compared by identity to ignore stopped ones. */
  private static final class Discoverers {
    final List<Discoverer> all;

    Discoverers(List<Discoverer> all) {
      this.all = List.copyOf(all);
    }

    List<TargetGroup> groups() {
      List<TargetGroup> groups = new ArrayList<>();
      for (Discoverer d : all) {
        groups.addAll(d.groups());
      }
      return groups;
    }

    void close() {
      all.forEach(Discoverer::close);
    }
  }

  /** Scrapes over HTTP into {@code store}, watching {@code file_sd_configs} files. */
  public ScrapeManager(AppendableStore store, Clock clock) {
    this(
        (cfg, seed) -> new ScrapePool(cfg, store, clock, seed),
        sd -> FileDiscoverer.watching(sd, clock));
  }

  /**
   * Makes pools with {@code pools}, given a job's config and the offset seed (the external labels'
   * hash, so that HA replicas scrape a target at different moments), and a discoverer for each
   * {@code file_sd_configs} entry with {@code discoverers}.
   */
  public ScrapeManager(
      BiFunction<ScrapeConfig, Long, ScrapePool> pools,
      Function<FileSdConfig, Discoverer> discoverers) {
    this.pools = pools;
    this.discoverers = discoverers;
  }

  /** Brings the pools and discoverers in line with {@code cfg}'s scrape configs. */
  public synchronized void apply(PrometheusConfig cfg) throws InterruptedException {
    long seed = cfg.global().externalLabels().hash();
    Map<String, ScrapeConfig> wanted = new LinkedHashMap<>();
    for (ScrapeConfig sc : cfg.scrapeConfigs()) {
      wanted.put(sc.jobName(), sc);
    }
    for (Map.Entry<String, Job> e : jobs.entrySet()) {
      Job job = e.getValue();
      ScrapeConfig next = wanted.get(e.getKey());
      if (next == null || !job.cfg.fileSdConfigs().equals(next.fileSdConfigs())) {
        job.discoverers.close();
        job.discoverers = null;
      }
      if (next == null || !sameScrapeSettings(job.pool.config(), next)) {
        job.pool.close();
        job.pool = null;
      }
    }
    Map<String, Job> kept = new LinkedHashMap<>(jobs);
    jobs.clear();
    for (ScrapeConfig sc : wanted.values()) {
      Job job = kept.computeIfAbsent(sc.jobName(), k -> new Job());
      job.cfg = sc;
      if (job.pool == null) {
        job.pool = pools.apply(sc, seed);
      }
      if (job.discoverers == null) {
        job.discoverers = startDiscoverers(sc);
      }
      jobs.put(sc.jobName(), job);
      job.pool.sync(Targets.of(sc, job.discoverers.groups()));
    }
  }

  /**
   * Each metric family's metadata over every target, the first target's where they differ: what
   * remote write's {@code metadata_config} sends.
   */
  public List<MetricMetadata> metadata() {
    Map<String, MetricMetadata> out = new java.util.TreeMap<>();
    for (ScrapePool p : pools().values()) {
      for (ScrapeLoop l : p.loops()) {
        for (MetricMetadata m : l.metadata()) {
          out.putIfAbsent(m.family(), m);
        }
      }
    }
    return List.copyOf(out.values());
  }

  /** The pools by job name, in config order. */
  public synchronized Map<String, ScrapePool> pools() {
    Map<String, ScrapePool> out = new LinkedHashMap<>();
    jobs.forEach((name, job) -> out.put(name, job.pool));
    return Collections.unmodifiableMap(out);
  }

  /** Stops every discoverer and closes every pool. */
  @Override
  public synchronized void close() {
    for (Job job : jobs.values()) {
      job.discoverers.close();
      job.pool.close();
    }
    jobs.clear();
  }

  private Discoverers startDiscoverers(ScrapeConfig sc) {
    List<Discoverer> made = new ArrayList<>();
    for (FileSdConfig sd : sc.fileSdConfigs()) {
      made.add(discoverers.apply(sd));
    }
    Discoverers started = new Discoverers(made);
    for (Discoverer d : started.all) {
      d.start(() -> discovered(sc.jobName(), started));
    }
    return started;
  }

  /**
   * Syncs a job's targets after its discoverers {@code which} saw a change, unless they have been
   * replaced or stopped since.
   */
  private synchronized void discovered(String jobName, Discoverers which) {
    Job job = jobs.get(jobName);
    if (job == null || job.discoverers != which) {
      return;
    }
    try {
      job.pool.sync(Targets.of(job.cfg, which.groups()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      log.error("syncing the targets of job {} failed", jobName, e);
    }
  }

  /**
   * Whether two configs scrape alike, ignoring where targets come from ({@code static_configs},
   * {@code file_sd_configs}); relabel rules are compared by their text.
   */
  static boolean sameScrapeSettings(ScrapeConfig a, ScrapeConfig b) {
    return withoutTargets(a).equals(withoutTargets(b))
        && rules(a.relabelConfigs()).equals(rules(b.relabelConfigs()))
        && rules(a.metricRelabelConfigs()).equals(rules(b.metricRelabelConfigs()));
  }

  private static ScrapeConfig withoutTargets(ScrapeConfig c) {
    return new ScrapeConfig(
        c.jobName(),
        c.scrapeInterval(),
        c.scrapeTimeout(),
        c.scrapeProtocols(),
        c.metricsPath(),
        c.scheme(),
        c.params(),
        c.honorLabels(),
        c.honorTimestamps(),
        c.trackTimestampsStaleness(),
        c.enableCompression(),
        c.limits(),
        c.httpClient(),
        List.of(),
        List.of(),
        List.of(),
        List.of());
  }

  private static List<List<Object>> rules(List<RelabelRule> rules) {
    List<List<Object>> out = new ArrayList<>();
    for (RelabelRule r : rules) {
      out.add(
          List.of(
              r.sourceLabels(),
              r.separator(),
              r.regexText(),
              r.modulus(),
              r.targetLabel(),
              r.replacement(),
              r.action()));
    }
    return out;
  }
}
