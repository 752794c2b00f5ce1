package io.meridian.scrape;

import io.meridian.config.PrometheusConfig;
import io.meridian.config.ScrapeConfig;
import io.meridian.relabel.RelabelRule;
import io.meridian.storage.AppendableStore;
import io.meridian.util.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * One {@link ScrapePool} per job of the config. {@link #apply} reloads: a job whose scrape settings
 * are unchanged keeps its pool, and only its targets are synced (loops of unchanged targets keep
 * running); a job whose settings changed gets a new pool; a job no longer configured has its pool
 * closed, marking its series stale. Thread-safe.
 */
public final class ScrapeManager implements AutoCloseable {
  private final BiFunction<ScrapeConfig, Long, ScrapePool> pools;
  private final Map<String, ScrapePool> byJob = new LinkedHashMap<>();

  /** Scrapes over HTTP into {@code store}. */
  public ScrapeManager(AppendableStore store, Clock clock) {
    this((cfg, seed) -> new ScrapePool(cfg, store, clock, seed));
  }

  /**
   * Makes pools with {@code pools}, given a job's config and the offset seed (the external labels'
   * hash, so that HA replicas scrape a target at different moments).
   */
  public ScrapeManager(BiFunction<ScrapeConfig, Long, ScrapePool> pools) {
    this.pools = pools;
  }

  /** Brings the pools in line with {@code cfg}'s scrape configs. */
  public synchronized void apply(PrometheusConfig cfg) throws InterruptedException {
    long seed = cfg.global().externalLabels().hash();
    Map<String, ScrapeConfig> wanted = new LinkedHashMap<>();
    for (ScrapeConfig sc : cfg.scrapeConfigs()) {
      wanted.put(sc.jobName(), sc);
    }
    List<String> jobs = new ArrayList<>(byJob.keySet());
    for (String job : jobs) {
      ScrapeConfig next = wanted.get(job);
      if (next == null || !sameScrapeSettings(byJob.get(job).config(), next)) {
        byJob.remove(job).close();
      }
    }
    for (ScrapeConfig sc : wanted.values()) {
      ScrapePool pool = byJob.get(sc.jobName());
      if (pool == null) {
        pool = pools.apply(sc, seed);
        byJob.put(sc.jobName(), pool);
      }
      pool.sync(Targets.of(sc));
    }
  }

  /** The pools by job name, in config order. */
  public synchronized Map<String, ScrapePool> pools() {
    return Map.copyOf(byJob);
  }

  /** Closes every pool. */
  @Override
  public synchronized void close() {
    for (ScrapePool p : byJob.values()) {
      p.close();
    }
    byJob.clear();
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
