package io.meridian.scrape;

import io.meridian.config.ScrapeConfig;
import io.meridian.config.ScrapeLimits;
import io.meridian.exposition.ExpositionParser;
import io.meridian.exposition.ParseException;
import io.meridian.exposition.TextFormat;
import io.meridian.model.Labels;
import io.meridian.model.StaleNaN;
import io.meridian.relabel.Relabeler;
import io.meridian.storage.AppendableStore;
import io.meridian.storage.Appender;
import io.meridian.storage.SampleRejectedException;
import io.meridian.util.Clock;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * Turns what one target exposes into stored samples, scrape after scrape: parsing, target labels
 * ({@code honor_labels}), {@code metric_relabel_configs}, {@code honor_timestamps}, limits,
 * staleness markers and the report series ({@code up} and friends), as Prometheus's scrape loop
 * does. Fetching and scheduling are elsewhere; this class takes a fetched body or a failure.
 *
 * <p>Each scrape is one batch: it commits whole, or (when a limit is exceeded or the body does not
 * parse) nothing of the body is stored and the scrape counts as failed ({@code up} 0, staleness
 * markers for what the previous scrape had). Samples the store rejects (out of order, duplicate,
 * out of bounds) are counted and skipped; they do not fail the scrape.
 *
 * <p>Series are cached between scrapes by their raw text, so a steady target neither rebuilds
 * labels nor relabels each time. Methods are synchronized: one scrape at a time.
 *
 * <p>{@link #start} scrapes on a virtual thread every interval, at Prometheus's per-target offset
 * within it; {@link #stop} ends that and marks every series stale.
 */
public final class ScrapeLoop {

  /** The report series' names, in the order they are written. */
  public static final List<String> REPORT_SERIES =
      List.of(
          "up",
          "scrape_duration_seconds",
          "scrape_samples_scraped",
          "scrape_samples_post_metric_relabeling",
          "scrape_series_added");

  private final Target target;
  private final ScrapeConfig cfg;
  private final AppendableStore store;
  private final Clock clock;
  private final Labels[] reportLabels = new Labels[REPORT_SERIES.size()];
  private final long[] reportRefs = new long[REPORT_SERIES.size()];

  /** Series by raw text ({@code name{labels}}, as the target wrote it). */
  private final SeriesCache<CacheEntry> cache = new SeriesCache<>();

  /**
   * The series the last scrape stored (with the store's refs), which go stale when absent. Swapped
   * with the batch's list each scrape, so steady scrapes allocate no list.
   */
  private List<CacheEntry> previous = new ArrayList<>();

  private List<CacheEntry> spare = new ArrayList<>();

  private final Map<SampleRejectedException.Reason, Long> rejected =
      new EnumMap<>(SampleRejectedException.Reason.class);
  private int iteration; // 2^31 scrapes: 68 years at one a second

  /** Samples of new series the store refused in this scrape: its series limit is reached. */
  private long seriesRefused;

  private volatile boolean stopping;
  private volatile String forcedError = "";
  private Thread thread;
  private Fetcher fetcher;
  private String lastError = "";
  private long lastScrapeTime;
  private double lastScrapeDuration;
  private boolean scraped;
  private boolean lastUp;

  /** The metric families' metadata from the last scrape that parsed, in exposition order. */
  private List<MetricMetadata> metadata = List.of();

  private static final class CacheEntry {
    /**
     * Null when metric relabeling drops the series; the store's shared copy once it has the series.
     */
    Labels labels;

    long ref;
    int lastIteration;

    /** The iteration whose batch listed this series for staleness tracking. */
    int listedIteration;

    CacheEntry(Labels labels) {
      this.labels = labels;
    }
  }

  public ScrapeLoop(Target target, ScrapeConfig cfg, AppendableStore store, Clock clock) {
    this.target = target;
    this.cfg = cfg;
    this.store = store;
    this.clock = clock;
    for (int i = 0; i < reportLabels.length; i++) {
      reportLabels[i] =
          target.labels().toBuilder().set(Labels.METRIC_NAME, REPORT_SERIES.get(i)).build();
    }
  }

  public Target target() {
    return target;
  }

  /**
   * Scrapes within this many ms of their slot are stored at the slot's time, as Prometheus does.
   */
  static final long TIMESTAMP_TOLERANCE_MS = 2;

  /** How the last scrape went. */
  public enum Health {
    UNKNOWN,
    UP,
    DOWN
  }

  /** {@link Health#UNKNOWN} before the first scrape. */
  public synchronized Health health() {
    if (!scraped) {
      return Health.UNKNOWN;
    }
    return lastUp ? Health.UP : Health.DOWN;
  }

  /**
   * The time of a target's first scrape: the next moment after {@code now} whose position within
   * the interval is the target's offset ({@code hash} mod interval), so each target keeps its own
   * slot and a server's targets spread over the interval.
   */
  static long firstScrape(long now, long intervalMs, long hash) {
    long offset = Long.remainderUnsigned(hash, intervalMs);
    long next = intervalMs - Math.floorMod(now, intervalMs) + offset;
    if (next > intervalMs) {
      next -= intervalMs;
    }
    return now + next;
  }

  /**
   * Starts scraping with {@code fetcher} on a virtual thread: first at the target's slot, then
   * every interval. Ticks missed by a slow scrape are skipped.
   *
   * @param offsetSeed mixed into the target's hash, so that servers scraping the same targets
   *     spread their scrapes differently
   * @throws IllegalStateException if already started
   */
  public synchronized void start(Fetcher fetcher, Scheduler scheduler, long offsetSeed) {
    if (thread != null) {
      throw new IllegalStateException("scrape loop already started for " + target);
    }
    this.fetcher = fetcher;
    long interval = target.interval().toMillis();
    long first = firstScrape(clock.millis(), interval, target.scrapeLabels().hash() ^ offsetSeed);
    thread =
        Thread.ofVirtual()
            .name("scrape " + target.scrapeLabels().get(Target.ADDRESS))
            .start(() -> run(scheduler, first, interval));
  }

  /**
   * Stops scraping: wakes the loop, aborts a fetch in progress, waits for the loop to end, then
   * writes staleness markers for all its series. Does nothing if never started.
   */
  public void stop() throws IOException, InterruptedException {
    Thread th;
    Fetcher f;
    synchronized (this) {
      th = thread;
      f = fetcher;
    }
    if (th == null) {
      return;
    }
    stopping = true;
    LockSupport.unpark(th);
    f.cancel();
    th.join();
    markStale(clock.millis());
  }

  private void run(Scheduler scheduler, long first, long interval) {
    long next = first;
    while (scheduler.awaitUntil(next, () -> stopping)) {
      scrapeAt(next);
      long now = clock.millis();
      next += interval;
      if (next <= now) {
        next += (now - next) / interval * interval + interval;
      }
    }
  }

  /**
   * Makes every scrape fail with {@code error} without fetching, until set to "" again: how a pool
   * over its {@code target_limit} keeps its targets down.
   */
  public void forceError(String error) {
    forcedError = error;
  }

  private void scrapeAt(long slot) {
    long startNanos = clock.nanos();
    long now = clock.millis();
    long t = Math.abs(now - slot) <= TIMESTAMP_TOLERANCE_MS ? slot : now;
    try {
      String forced = forcedError;
      if (!forced.isEmpty()) {
        scrapeFailed(t, startNanos, forced);
        return;
      }
      Fetched f;
      try {
        f = fetcher.fetch();
      } catch (IOException e) {
        if (!stopping) {
          scrapeFailed(t, startNanos, String.valueOf(e.getMessage()));
        }
        return;
      }
      try {
        if (!stopping) {
          scrapeOnce(t, startNanos, f.body(), f.length(), f.contentType());
        }
      } finally {
        fetcher.release(f);
      }
    } catch (IOException | RuntimeException e) {
      synchronized (this) {
        lastError = "appending: " + e.getMessage();
      }
    }
  }

  /**
   * Why the last scrape failed, or "" if it succeeded or none ran yet. A scrape that stored its
   * samples but had new series refused by the store's series limit is up, with the refusal here.
   */
  public synchronized String lastError() {
    return lastError;
  }

  /** The time of the last scrape in ms, or 0 if none ran yet. */
  public synchronized long lastScrapeTime() {
    return scraped ? lastScrapeTime : 0;
  }

  /** How long the last scrape took, in seconds (0 if none ran yet). */
  public synchronized double lastScrapeDuration() {
    return lastScrapeDuration;
  }

  /** The HELP, TYPE and UNIT of each metric family the target exposed, for the metadata API. */
  public synchronized List<MetricMetadata> metadata() {
    return metadata;
  }

  /** How many samples of this target the store rejected for {@code reason}, over all scrapes. */
  public synchronized long rejectedSamples(SampleRejectedException.Reason reason) {
    return rejected.getOrDefault(reason, 0L);
  }

  /**
   * Stores one scrape's body.
   *
   * @param t the scrape's time in ms: the timestamp of samples without their own and of the report
   * @param startNanos {@link Clock#nanos()} when the scrape began, for {@code
   *     scrape_duration_seconds}
   * @param contentType the response's {@code Content-Type}, which picks the format
   * @throws IOException if the store could not commit
   */
  public synchronized void scrapeOnce(
      long t, long startNanos, byte[] body, int length, String contentType) throws IOException {
    iteration++;
    seriesRefused = 0;
    Appender app = store.appender();
    spare.clear();
    Batch batch = new Batch(app, t, spare);
    String error;
    try {
      error = batch.append(body, length, contentType);
    } catch (RuntimeException e) {
      app.rollback();
      throw e;
    }
    if (error != null) {
      app.rollback();
      batch.forgetRefs();
      fail(t, startNanos, error, batch.total, batch.added);
      return;
    }
    markGone(app, batch.current, t);
    report(app, t, startNanos, 1, batch.total, batch.added, batch.seriesAdded);
    app.commit();
    spare = previous;
    previous = batch.current;
    int keepFrom = iteration - 1;
    cache.removeIf(e -> e.lastIteration < keepFrom);
    metadata = batch.metadata();
    finish(
        t,
        true,
        seriesRefused == 0
            ? ""
            : seriesRefused
                + " new series refused: the store holds its most series"
                + " (--storage.tsdb.max-head-series)");
  }

  /**
   * Staleness markers for the series of the previous scrape this one did not have. A series is
   * known by its labels: two raw texts may name the same series (labels in another order, or
   * relabeling), so a candidate is checked against the labels of this scrape before it is marked.
   */
  private void markGone(Appender app, List<CacheEntry> current, long t) {
    java.util.Set<Labels> now = null;
    for (CacheEntry e : previous) {
      if (e.listedIteration == iteration) {
        continue;
      }
      if (now == null) {
        now = new java.util.HashSet<>();
        for (CacheEntry c : current) {
          now.add(c.labels);
        }
      }
      if (!now.contains(e.labels)) {
        appendQuietly(app, e, t, StaleNaN.VALUE);
      }
    }
  }

  /**
   * Records a scrape that got no body: {@code up} 0, staleness markers for the previous scrape's
   * series.
   *
   * @param reason why, kept as {@link #lastError()}
   */
  public synchronized void scrapeFailed(long t, long startNanos, String reason) throws IOException {
    iteration++;
    fail(t, startNanos, reason, 0, 0);
  }

  /**
   * Writes staleness markers at {@code t} for every series of the last scrape and for the report
   * series: the target is gone. Call once the loop has stopped scraping. The markers go at least 1
   * ms after the last scrape, where the store takes them.
   */
  public synchronized void markStale(long t) throws IOException {
    if (!scraped) {
      return;
    }
    t = Math.max(t, lastScrapeTime + 1);
    Appender app = store.appender();
    for (CacheEntry e : previous) {
      appendQuietly(app, e, t, StaleNaN.VALUE);
    }
    for (int i = 0; i < reportLabels.length; i++) {
      appendReport(app, i, t, StaleNaN.VALUE);
    }
    app.commit();
    previous.clear();
  }

  private void fail(long t, long startNanos, String reason, long total, long added)
      throws IOException {
    Appender app = store.appender();
    for (CacheEntry e : previous) {
      appendQuietly(app, e, t, StaleNaN.VALUE);
    }
    report(app, t, startNanos, 0, total, added, 0);
    app.commit();
    previous.clear();
    finish(t, false, reason);
  }

  private void finish(long t, boolean up, String error) {
    lastUp = up;
    lastError = error;
    lastScrapeTime = t;
    scraped = true;
  }

  private void appendQuietly(Appender app, CacheEntry e, long t, double v) {
    try {
      e.ref = app.append(e.ref, e.labels, t, v);
    } catch (SampleRejectedException ex) {
      // A marker older than what the series holds (a sample with its own, later timestamp)
      // is not needed.
    }
  }

  private void report(
      Appender app, long t, long startNanos, int up, long total, long added, long seriesAdded) {
    double duration = (clock.nanos() - startNanos) / 1e9;
    lastScrapeDuration = duration;
    appendReport(app, 0, t, up);
    appendReport(app, 1, t, duration);
    appendReport(app, 2, t, (double) total);
    appendReport(app, 3, t, (double) added);
    appendReport(app, 4, t, (double) seriesAdded);
  }

  private void appendReport(Appender app, int i, long t, double v) {
    try {
      reportRefs[i] = app.append(reportRefs[i], reportLabels[i], t, v);
    } catch (SampleRejectedException e) {
      rejected.merge(e.reason(), 1L, Long::sum);
      countRefused(e);
    }
  }

  private void countRefused(SampleRejectedException e) {
    if (e.reason() == SampleRejectedException.Reason.SERIES_LIMIT) {
      seriesRefused++;
    }
  }

  /** One scrape's appending; its counts are what the report says. */
  private final class Batch {
    final Appender app;
    final long t;
    final List<CacheEntry> current;
    final List<CacheEntry> refChanged = new ArrayList<>();
    final List<Long> oldRefs = new ArrayList<>();
    long total;
    long added;
    long seriesAdded;

    /** HELP, TYPE and UNIT by family, as {type, help, unit}. */
    final Map<String, String[]> families = new LinkedHashMap<>();

    Batch(Appender app, long t, List<CacheEntry> current) {
      this.app = app;
      this.t = t;
      this.current = current;
    }

    /** Appends the body's samples; returns why the scrape fails, or null. */
    String append(byte[] body, int length, String contentType) {
      TextFormat format;
      try {
        format = format(contentType);
      } catch (IllegalArgumentException e) {
        return e.getMessage();
      }
      ScrapeLimits limits = cfg.limits();
      String limitError = null;
      cache.rewind();
      ExpositionParser p = new ExpositionParser(body, length, format);
      p.deferLabelChecks();
      try {
        for (ExpositionParser.Entry kind = next(p);
            kind != ExpositionParser.Entry.EOF;
            kind = next(p)) {
          if (kind != ExpositionParser.Entry.SERIES) {
            describe(kind, p);
            continue;
          }
          total++;
          if (limitError != null) {
            continue;
          }
          int keyOff = p.seriesStart();
          int keyLen = p.seriesEnd() - keyOff;
          CacheEntry e =
              p.matchedExpected() ? cache.takePredicted() : cache.get(p.body(), keyOff, keyLen);
          boolean miss = e == null;
          if (miss) {
            Labels labels = Relabeler.process(targetLabels(p.labels()), cfg.metricRelabelConfigs());
            if (labels != null && labels.isEmpty()) {
              labels = null;
            }
            if (labels != null) {
              if (!labels.has(Labels.METRIC_NAME)) {
                return "line " + p.line() + ": no metric name after relabeling";
              }
              limitError = LabelLimits.check(labels, limits);
              if (limitError != null) {
                continue;
              }
            }
            e = new CacheEntry(labels);
            cache.put(p.body(), keyOff, keyLen, e);
          }
          e.lastIteration = iteration;
          if (e.labels == null) {
            continue;
          }
          added++;
          if (limits.sampleLimit() > 0 && added > limits.sampleLimit()) {
            limitError = "sample_limit exceeded (limit: " + limits.sampleLimit() + ")";
            continue;
          }
          boolean ownTime = cfg.honorTimestamps() && p.hasTimestamp();
          long ts = ownTime ? p.timestamp() : t;
          long old = e.ref;
          try {
            e.ref = app.append(e.ref, e.labels, ts, p.value());
            if (miss) {
              seriesAdded++;
              Labels shared = app.sharedLabels(e.ref);
              if (shared != null) {
                e.labels = shared;
              }
            }
          } catch (SampleRejectedException ex) {
            rejected.merge(ex.reason(), 1L, Long::sum);
            countRefused(ex);
          }
          if (e.ref != old) {
            refChanged.add(e);
            oldRefs.add(old);
          }
          if ((!ownTime || cfg.trackTimestampsStaleness()) && e.listedIteration != iteration) {
            e.listedIteration = iteration;
            current.add(e);
          }
        }
      } catch (ParseException e) {
        return e.getMessage();
      } catch (IllegalArgumentException e) {
        return "line " + p.line() + ": " + e.getMessage();
      }
      return limitError;
    }

    /** The next entry, the parser told which series the cache expects. */
    private ExpositionParser.Entry next(ExpositionParser p) throws ParseException {
      p.expect(cache.predictedLength(), cache.predictedLo(), cache.predictedHi());
      return p.next();
    }

    private void describe(ExpositionParser.Entry kind, ExpositionParser p) {
      int slot =
          switch (kind) {
            case TYPE -> 0;
            case HELP -> 1;
            case UNIT -> 2;
            default -> -1;
          };
      if (slot < 0) {
        return;
      }
      families.computeIfAbsent(p.metricFamily(), f -> new String[] {"unknown", "", ""})[slot] =
          p.text();
    }

    /** The families' metadata; the last scrape's objects where nothing changed. */
    List<MetricMetadata> metadata() {
      Map<String, MetricMetadata> before = new HashMap<>();
      for (MetricMetadata m : ScrapeLoop.this.metadata) {
        before.put(m.family(), m);
      }
      List<MetricMetadata> out = new ArrayList<>(families.size());
      for (Map.Entry<String, String[]> e : families.entrySet()) {
        String[] v = e.getValue();
        MetricMetadata m = new MetricMetadata(e.getKey(), v[0], v[1], v[2]);
        MetricMetadata old = before.get(e.getKey());
        out.add(m.equals(old) ? old : m);
      }
      return List.copyOf(out);
    }

    /** After a rollback: refs this batch got may not exist in the store. */
    void forgetRefs() {
      for (int i = 0; i < refChanged.size(); i++) {
        refChanged.get(i).ref = oldRefs.get(i);
      }
    }
  }

  /** A sample's labels with the target's, as {@code honor_labels} says. */
  Labels targetLabels(Labels sample) {
    Labels.Builder b = sample.toBuilder();
    if (cfg.honorLabels()) {
      target
          .labels()
          .forEach((n, v) -> {
            if (b.get(n) == null) {
              b.set(n, v);
            }
          });
      return b.build();
    }
    List<String[]> conflicts = new ArrayList<>();
    target
        .labels()
        .forEach((n, v) -> {
          String exposed = b.get(n);
          if (exposed != null) {
            conflicts.add(new String[] {n, exposed});
          }
          b.set(n, v);
        });
    conflicts.sort((x, y) -> Integer.compare(x[0].length(), y[0].length()));
    for (String[] c : conflicts) {
      String name = c[0];
      do {
        name = "exported_" + name;
      } while (b.get(name) != null);
      b.set(name, c[1]);
    }
    return b.build();
  }

  /**
   * The format a {@code Content-Type} names.
   *
   * @throws IllegalArgumentException for a blank or unsupported type
   */
  static TextFormat format(String contentType) {
    String type = contentType == null ? "" : contentType;
    int semi = type.indexOf(';');
    String media = (semi < 0 ? type : type.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
    return switch (media) {
      case "application/openmetrics-text" -> TextFormat.OPENMETRICS_1_0;
      case "text/plain" -> TextFormat.PROMETHEUS_0_0_4;
      case "" ->
          throw new IllegalArgumentException(
              "non-compliant scrape target sending blank Content-Type");
      default ->
          throw new IllegalArgumentException(
              "received unsupported Content-Type \"" + contentType + "\"");
    };
  }
}
