package io.meridian.scrape;

import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.config.ScrapeConfig;
import io.meridian.testing.ManualClock;
import io.meridian.tsdb.head.Head;
import io.meridian.tsdb.head.HeadOptions;
import io.meridian.tsdb.head.Journal;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ScrapePoolIT {
  private static final long START = 1_700_000_000_000L;
  private static final long INTERVAL = 10_000;

  private final Exporter a;
  private final Exporter b;
  private final Head head = new Head(HeadOptions.defaults(), Journal.NONE);
  private final ManualClock clock = new ManualClock(START);
  private final SimScheduler scheduler = new SimScheduler(clock);

  ScrapePoolIT() throws IOException {
    a = new Exporter();
    b = new Exporter();
  }

  @AfterEach
  void close() {
    a.close();
    b.close();
  }

  private ScrapeConfig config(String... targets) {
    return Configs.scrape(
        """
        scrape_configs:
          - job_name: j
            scrape_interval: 10s
            scrape_timeout: 5s
            static_configs:
              - targets: [%s]
        """
            .formatted(String.join(", ", targets)));
  }

  private ScrapePool pool(ScrapeConfig cfg) {
    return new ScrapePool(
        cfg,
        head,
        clock,
        scheduler,
        42,
        t -> new TargetScraper(ScrapeClient.of(cfg.httpClient(), clock), t, cfg));
  }

  private List<String> stored(String metric, Exporter e) {
    String prefix = metric + "{instance=\"" + e.address() + "\"";
    return Stored.samples(head).stream().filter(s -> s.startsWith(prefix)).toList();
  }

  private static String line(String metric, Exporter e, long t, String v) {
    return metric + "{instance=\"" + e.address() + "\", job=\"j\"} " + t + " " + v;
  }

  @Test
  void scrapesEveryIntervalAndSyncsTargets() throws Exception {
    a.body = "m 1\n";
    b.body = "m 2\n";
    ScrapeConfig cfg = config(a.address(), b.address());
    long t4;
    try (ScrapePool pool = pool(cfg)) {
      pool.sync(Targets.of(cfg));
      scheduler.awaitIdle(2);
      // Each loop waits for its own slot within the first interval.
      assertThat(scheduler.wakeups())
          .allSatisfy(
              t -> assertThat(t).isGreaterThan(START).isLessThanOrEqualTo(START + INTERVAL));
      assertThat(Stored.samples(head)).isEmpty();

      long t1 = START + INTERVAL;
      scheduler.advanceTo(t1, 2);
      assertThat(stored("m", a)).containsExactly(line("m", a, t1, "1.0"));
      assertThat(stored("m", b)).containsExactly(line("m", b, t1, "2.0"));
      assertThat(stored("up", a)).containsExactly(line("up", a, t1, "1.0"));
      ScrapeLoop loopA = pool.loops().get(0);
      assertThat(loopA.health()).isEqualTo(ScrapeLoop.Health.UP);

      // b goes away before the next slot: its loop stops and marks its series stale; a keeps
      // running as it was.
      long t2 = scheduler.beforeNextWakeup();
      clock.setMillis(t2);
      pool.sync(Targets.of(config(a.address())));
      assertThat(pool.loops()).containsExactly(loopA);
      assertThat(stored("m", b))
          .containsExactly(line("m", b, t1, "2.0"), line("m", b, t2, "stale"));
      assertThat(stored("up", b))
          .containsExactly(line("up", b, t1, "1.0"), line("up", b, t2, "stale"));
      scheduler.awaitIdle(1);

      // The next interval scrapes a again; a failing target reports down.
      a.status = 500;
      long t3 = t1 + INTERVAL;
      scheduler.advanceTo(t3, 1);
      assertThat(stored("up", a))
          .containsExactly(line("up", a, t1, "1.0"), line("up", a, t3, "0.0"));
      assertThat(stored("m", a))
          .containsExactly(line("m", a, t1, "1.0"), line("m", a, t3, "stale"));
      assertThat(loopA.lastError())
          .isEqualTo("server returned HTTP status 500 Internal Server Error");
      assertThat(loopA.health()).isEqualTo(ScrapeLoop.Health.DOWN);
      t4 = scheduler.beforeNextWakeup();
      clock.setMillis(t4);
    }
    assertThat(stored("up", a)).last().isEqualTo(line("up", a, t4, "stale"));
  }

  @Test
  void missedTicksAreSkipped() throws Exception {
    a.body = "m 1\n";
    ScrapeConfig cfg = config(a.address());
    try (ScrapePool pool = pool(cfg)) {
      pool.sync(Targets.of(cfg));
      scheduler.awaitIdle(1);
      long slot = scheduler.wakeups().get(0);
      scheduler.advanceTo(slot + 3 * INTERVAL + 1, 1);
      assertThat(scheduler.wakeups()).containsExactly(slot + 4 * INTERVAL);
      assertThat(stored("m", a)).containsExactly(line("m", a, slot + 3 * INTERVAL + 1, "1.0"));
    }
  }

  @Test
  void tooManyTargetsFailEveryScrape() throws Exception {
    a.body = "m 1\n";
    b.body = "m 2\n";
    ScrapeConfig cfg =
        Configs.scrape(
            """
            scrape_configs:
              - job_name: j
                scrape_interval: 10s
                target_limit: 1
                static_configs:
                  - targets: [%s, %s]
            """
                .formatted(a.address(), b.address()));
    try (ScrapePool pool = pool(cfg)) {
      pool.sync(Targets.of(cfg));
      scheduler.advanceTo(START + INTERVAL, 2);
      assertThat(stored("up", a)).containsExactly(line("up", a, START + INTERVAL, "0.0"));
      assertThat(stored("m", a)).isEmpty();
      assertThat(pool.loops())
          .allSatisfy(l ->
              assertThat(l.lastError())
                  .isEqualTo("target_limit exceeded (number of targets: 2, limit: 1)"));
      assertThat(a.lastRequest).isNull();
    }
  }

  /**
   * On the real clock: one target hangs past the timeout and one sends a body that does not parse;
   * each fails its own scrapes with the reason, and the good target beside them is scraped every
   * interval all the same.
   */
  @Test
  void aHangingTargetAndAMalformedOneLeaveTheOthersAlone() throws Exception {
    Exporter good = a;
    Exporter hanging = b;
    try (Exporter malformed = new Exporter()) {
      good.body = "m 1\n";
      hanging.body = "m 2\n";
      hanging.hold = new java.util.concurrent.CountDownLatch(1);
      malformed.body = "m 3\nm{broken 4\n";
      ScrapeConfig cfg =
          Configs.scrape(
              """
              scrape_configs:
                - job_name: j
                  scrape_interval: 500ms
                  scrape_timeout: 300ms
                  static_configs:
                    - targets: [%s, %s, %s]
              """
                  .formatted(good.address(), hanging.address(), malformed.address()));
      io.meridian.util.Clock real = io.meridian.util.Clock.system();
      try (ScrapePool pool =
          new ScrapePool(
              cfg,
              head,
              real,
              Scheduler.parking(real),
              42,
              t -> new TargetScraper(ScrapeClient.of(cfg.httpClient(), clock), t, cfg))) {
        pool.sync(Targets.of(cfg));
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (stored("up", good).size() < 4 && System.nanoTime() < deadline) {
          hanging.hold.await(50, java.util.concurrent.TimeUnit.MILLISECONDS);
        }
        assertThat(stored("up", good))
            .hasSizeGreaterThanOrEqualTo(4)
            .allMatch(s -> s.endsWith(" 1.0"));
        for (ScrapeLoop l : pool.loops()) {
          String address = l.target().labels().get("instance");
          if (address.equals(hanging.address())) {
            assertThat(l.lastError()).startsWith("context deadline exceeded");
            assertThat(l.health()).isEqualTo(ScrapeLoop.Health.DOWN);
          } else if (address.equals(malformed.address())) {
            assertThat(l.lastError()).startsWith("line 2:");
            assertThat(l.health()).isEqualTo(ScrapeLoop.Health.DOWN);
          } else {
            assertThat(l.health()).isEqualTo(ScrapeLoop.Health.UP);
          }
        }
        assertThat(stored("m", malformed)).isEmpty();
      } finally {
        hanging.hold.countDown();
      }
    }
  }
}
