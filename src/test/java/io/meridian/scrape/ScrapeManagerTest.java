package io.meridian.scrape;

import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.config.ConfigLoader;
import io.meridian.config.PrometheusConfig;
import io.meridian.discovery.Discoverer;
import io.meridian.discovery.FileDiscoverer;
import io.meridian.discovery.TargetGroup;
import io.meridian.testing.ManualClock;
import io.meridian.tsdb.head.Head;
import io.meridian.tsdb.head.HeadOptions;
import io.meridian.tsdb.head.Journal;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScrapeManagerTest {
  private static final String JOB =
      """
      scrape_configs:
        - job_name: j
          static_configs:
            - targets: [%s]
          relabel_configs:
            - source_labels: [__address__]
              regex: '%s'
              action: keep
      """;

  @TempDir Path dir;

  private final ManualClock clock = new ManualClock(1_700_000_000_000L);
  private final SimScheduler scheduler = new SimScheduler(clock);
  private final Head head = new Head(HeadOptions.defaults(), Journal.NONE);
  private final List<Recorded> discoverers = new ArrayList<>();
  private final ScrapeManager manager =
      new ScrapeManager(
          (cfg, seed) -> new ScrapePool(cfg, head, clock, scheduler, seed, t -> new NoFetch()),
          sd -> {
            Recorded d = new Recorded(FileDiscoverer.unwatched(sd));
            discoverers.add(d);
            return d;
          });

  @AfterEach
  void close() {
    manager.close();
  }

  @Test
  void settingsCompareRelabelRulesByTextAndIgnoreTargets() {
    assertThat(
            ScrapeManager.sameScrapeSettings(
                Configs.scrape(JOB.formatted("'a:1'", "a.*")),
                Configs.scrape(JOB.formatted("'b:1'", "a.*"))))
        .isTrue();
    assertThat(
            ScrapeManager.sameScrapeSettings(
                Configs.scrape(JOB.formatted("'a:1'", "a.*")),
                Configs.scrape(JOB.formatted("'a:1'", "b.*"))))
        .isFalse();
  }

  private PrometheusConfig fileSd(String refresh) throws Exception {
    return ConfigLoader.parse(
        """
        scrape_configs:
          - job_name: j
            static_configs:
              - targets: ['s:1']
            file_sd_configs:
              - files: ['%s/*.json']
                refresh_interval: %s
        """
            .formatted(dir, refresh),
        "test.yml",
        dir,
        Map.of());
  }

  private void write(String name, String... targets) throws IOException {
    String list = String.join(", ", List.of(targets).stream().map(t -> "\"" + t + "\"").toList());
    Files.writeString(dir.resolve(name), "[{\"targets\": [" + list + "]}]");
  }

  private List<String> instances() {
    return manager.pools().get("j").loops().stream()
        .map(l -> l.target().labels().get("instance"))
        .toList();
  }

  @Test
  void discoveredTargetsJoinTheStaticOnesAndChangesSyncThePool() throws Exception {
    write("a.json", "f:1");
    manager.apply(fileSd("5m"));
    assertThat(instances()).containsExactly("s:1", "f:1");
    assertThat(discoverers).hasSize(1);
    ScrapeLoop s1 = manager.pools().get("j").loops().get(0);
    ScrapeLoop f1 = manager.pools().get("j").loops().get(1);
    assertThat(f1.target().discoveredLabels().get("__meta_filepath"))
        .isEqualTo(dir.resolve("a.json").toString());

    write("a.json", "f:1", "f:2");
    discoverers.get(0).refresh();
    assertThat(instances()).containsExactly("s:1", "f:1", "f:2");
    assertThat(manager.pools().get("j").loops().subList(0, 2)).containsExactly(s1, f1);

    Files.delete(dir.resolve("a.json"));
    discoverers.get(0).refresh();
    assertThat(instances()).containsExactly("s:1");
    assertThat(manager.pools().get("j").loops().get(0)).isSameAs(s1);
  }

  @Test
  void reloadKeepsDiscoverersOfUnchangedFileSdConfigsAndStopsTheOthers() throws Exception {
    write("a.json", "f:1");
    manager.apply(fileSd("5m"));
    ScrapePool pool = manager.pools().get("j");
    manager.apply(fileSd("5m"));
    assertThat(discoverers).hasSize(1);
    assertThat(discoverers.get(0).closed).isFalse();

    manager.apply(fileSd("1m"));
    assertThat(manager.pools().get("j")).as("same scrape settings").isSameAs(pool);
    assertThat(discoverers).hasSize(2);
    assertThat(discoverers.get(0).closed).isTrue();

    // A stopped discoverer that still reports a change is not listened to.
    write("a.json", "f:1", "f:2");
    discoverers.get(0).refresh();
    assertThat(instances()).containsExactly("s:1", "f:1");
    discoverers.get(1).refresh();
    assertThat(instances()).containsExactly("s:1", "f:1", "f:2");

    manager.apply(
        ConfigLoader.parse("scrape_configs: []\n", "test.yml", dir, Map.<String, String>of()));
    assertThat(manager.pools()).isEmpty();
    assertThat(discoverers.get(1).closed).isTrue();
  }

  /** Loops in these tests never reach a scrape: the clock does not move. */
  private static final class NoFetch implements Fetcher {
    @Override
    public Fetched fetch() throws IOException {
      throw new IOException("not scraped in this test");
    }

    @Override
    public void cancel() {}
  }

  /** A file discoverer that tests refresh by hand and that says whether it was stopped. */
  private static final class Recorded implements Discoverer {
    private final FileDiscoverer d;
    volatile boolean closed;

    Recorded(FileDiscoverer d) {
      this.d = d;
    }

    void refresh() {
      d.refresh();
    }

    @Override
    public void start(Runnable onChange) {
      d.start(onChange);
    }

    @Override
    public List<TargetGroup> groups() {
      return d.groups();
    }

    @Override
    public void close() {
      closed = true;
      d.close();
    }
  }
}
