package io.meridian.scrape;

import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.config.ConfigLoader;
import io.meridian.config.PrometheusConfig;
import io.meridian.discovery.FileDiscoverer;
import io.meridian.testing.ManualClock;
import io.meridian.tsdb.head.Head;
import io.meridian.tsdb.head.HeadOptions;
import io.meridian.tsdb.head.Journal;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ScrapeManagerIT {
  private static final long START = 1_700_000_000_000L;

  private final Exporter a;
  private final Exporter b;
  private final Head head = new Head(HeadOptions.defaults(), Journal.NONE);
  private final ManualClock clock = new ManualClock(START);
  private final SimScheduler scheduler = new SimScheduler(clock);
  private final ScrapeManager manager =
      new ScrapeManager(
          (cfg, seed) ->
              new ScrapePool(
                  cfg,
                  head,
                  clock,
                  scheduler,
                  seed,
                  t -> new TargetScraper(ScrapeClient.of(cfg.httpClient(), clock), t, cfg)),
          FileDiscoverer::unwatched);

  ScrapeManagerIT() throws IOException {
    a = new Exporter();
    b = new Exporter();
    a.body = "m 1\n";
    b.body = "m 2\n";
  }

  @AfterEach
  void close() {
    manager.close();
    a.close();
    b.close();
  }

  private static PrometheusConfig config(String yaml) throws Exception {
    return ConfigLoader.parse(yaml, "test.yml", Path.of("."), Map.of());
  }

  private static String job(String name, String interval, String... targets) {
    return """
      - job_name: %s
        scrape_interval: %s
        static_configs:
          - targets: [%s]
    """
        .formatted(name, interval, String.join(", ", targets));
  }

  @Test
  void reloadKeepsUnchangedJobsAndLoops() throws Exception {
    manager.apply(
        config("scrape_configs:\n" + job("x", "10s", a.address()) + job("y", "10s", b.address())));
    scheduler.awaitIdle(2);
    ScrapePool x = manager.pools().get("x");
    ScrapePool y = manager.pools().get("y");
    ScrapeLoop xa = x.loops().get(0);

    // Same settings, one more target for x: x keeps its pool and its running loop.
    manager.apply(
        config(
            "scrape_configs:\n"
                + job("x", "10s", a.address(), b.address())
                + job("y", "10s", b.address())));
    scheduler.awaitIdle(3);
    assertThat(manager.pools().get("x")).isSameAs(x);
    assertThat(x.loops()).hasSize(2).first().isSameAs(xa);
    assertThat(manager.pools().get("y")).isSameAs(y);

    // y's interval changes: a new pool. x is gone: its series go stale.
    scheduler.advanceTo(START + 10_000, 3);
    long removed = scheduler.beforeNextWakeup();
    clock.setMillis(removed);
    manager.apply(config("scrape_configs:\n" + job("y", "20s", b.address())));
    scheduler.awaitIdle(1);
    assertThat(manager.pools()).containsOnlyKeys("y");
    assertThat(manager.pools().get("y")).isNotSameAs(y);
    assertThat(
            Stored.samples(head).stream()
                .filter(s -> s.startsWith("up{instance=\"" + a.address() + "\", job=\"x\"}"))
                .toList())
        .containsExactly(
            "up{instance=\"" + a.address() + "\", job=\"x\"} " + (START + 10_000) + " 1.0",
            "up{instance=\"" + a.address() + "\", job=\"x\"} " + removed + " stale");
  }
}
