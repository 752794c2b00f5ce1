package io.meridian.scrape;

import io.meridian.config.ScrapeConfig;
import io.meridian.model.Labels;
import io.meridian.storage.AppendableStore;
import io.meridian.util.Clock;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The scrape loops of one job: {@link #sync} starts a loop for each new target, stops those of
 * targets that went away (which marks their series stale) and leaves the others running
 * undisturbed. With more targets than {@code target_limit}, every scrape of the pool fails (up 0)
 * until the targets are few enough again, as in Prometheus. Thread-safe; {@link #sync} and {@link
 * #close} are serialized.
 */
public final class ScrapePool implements AutoCloseable {
  private final ScrapeConfig cfg;
  private final AppendableStore store;
  private final Clock clock;
  private final Scheduler scheduler;
  private final long offsetSeed;
  private final Function<Target, Fetcher> fetchers;

  /** Running loops by the target's full labels (the {@code __} ones say how to scrape). */
  private final Map<Labels, ScrapeLoop> loops = new LinkedHashMap<>();

  private List<Labels> dropped = List.of();
  private List<String> errors = List.of();

  /** A pool that scrapes over HTTP, its targets sharing the job's TLS settings. */
  public ScrapePool(ScrapeConfig cfg, AppendableStore store, Clock clock, long offsetSeed) {
    this.cfg = cfg;
    this.store = store;
    this.clock = clock;
    this.scheduler = Scheduler.parking(clock);
    this.offsetSeed = offsetSeed;
    ScrapeClient client = ScrapeClient.of(cfg.httpClient(), clock);
    this.fetchers = t -> new TargetScraper(client, t, cfg);
  }

  /** A pool with its own fetchers and scheduler, for tests and simulations. */
  public ScrapePool(
      ScrapeConfig cfg,
      AppendableStore store,
      Clock clock,
      Scheduler scheduler,
      long offsetSeed,
      Function<Target, Fetcher> fetchers) {
    this.cfg = cfg;
    this.store = store;
    this.clock = clock;
    this.scheduler = scheduler;
    this.offsetSeed = offsetSeed;
    this.fetchers = fetchers;
  }

  public ScrapeConfig config() {
    return cfg;
  }

  /**
   * Makes the running loops match {@code targets}: new targets start, gone ones stop (in parallel,
   * each writing its staleness markers), unchanged ones keep running.
   */
  public synchronized void sync(Targets targets) throws InterruptedException {
    Map<Labels, ScrapeLoop> wanted = new HashMap<>();
    for (Target t : targets.active()) {
      wanted.put(t.scrapeLabels(), null);
    }
    List<ScrapeLoop> gone = new ArrayList<>();
    loops
        .entrySet()
        .removeIf(e -> {
          if (wanted.containsKey(e.getKey())) {
            return false;
          }
          gone.add(e.getValue());
          return true;
        });
    stopAll(gone);
    for (Target t : targets.active()) {
      if (!loops.containsKey(t.scrapeLabels())) {
        ScrapeLoop loop = new ScrapeLoop(t, cfg, store, clock);
        loop.start(fetchers.apply(t), scheduler, offsetSeed);
        loops.put(t.scrapeLabels(), loop);
      }
    }
    long limit = cfg.limits().targetLimit();
    String forced =
        limit > 0 && loops.size() > limit
            ? "target_limit exceeded (number of targets: "
                + loops.size()
                + ", limit: "
                + limit
                + ")"
            : "";
    for (ScrapeLoop l : loops.values()) {
      l.forceError(forced);
    }
    dropped = targets.dropped();
    errors = targets.errors();
  }

  /** The running loops, in the order their targets were first seen. */
  public synchronized List<ScrapeLoop> loops() {
    return List.copyOf(loops.values());
  }

  /** The discovered labels of the targets relabeling dropped at the last sync. */
  public synchronized List<Labels> droppedTargets() {
    return dropped;
  }

  /** The targets that could not be made targets at the last sync. */
  public synchronized List<String> targetErrors() {
    return errors;
  }

  /** Stops every loop (marking its series stale; each closes its connection). */
  @Override
  public synchronized void close() {
    List<ScrapeLoop> all = new ArrayList<>(loops.values());
    loops.clear();
    try {
      stopAll(all);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void stopAll(List<ScrapeLoop> loops) throws InterruptedException {
    List<Thread> stoppers = new ArrayList<>();
    for (ScrapeLoop l : loops) {
      stoppers.add(
          Thread.ofVirtual()
              .start(() -> {
                try {
                  l.stop();
                } catch (IOException | InterruptedException e) {
                  // The loop is stopped; only its staleness markers may be missing.
                }
              }));
    }
    for (Thread t : stoppers) {
      t.join();
    }
  }
}
