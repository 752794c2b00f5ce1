package io.meridian.scrape;

import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.config.ConfigLoader;
import io.meridian.config.PrometheusConfig;
import io.meridian.discovery.FileDiscoverer;
import io.meridian.testing.CapturedLogs;
import io.meridian.tsdb.head.Head;
import io.meridian.tsdb.head.HeadOptions;
import io.meridian.tsdb.head.Journal;
import io.meridian.util.Clock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code file_sd_configs} end to end on the real clock: a real manager watches a directory and
 * scrapes what its files name from real exporters.
 */
class FileSdIT {
  @TempDir Path dir;

  private final Exporter a;
  private final Exporter b;
  private final Head head = new Head(HeadOptions.defaults(), Journal.NONE);
  private final ScrapeManager manager = new ScrapeManager(head, Clock.system());

  FileSdIT() throws IOException {
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

  private PrometheusConfig config(String files, String refresh) throws Exception {
    return ConfigLoader.parse(
        """
        scrape_configs:
          - job_name: sd
            scrape_interval: 200ms
            scrape_timeout: 100ms
            file_sd_configs:
              - files: ['%s']
                refresh_interval: %s
        """
            .formatted(files, refresh),
        "test.yml",
        dir,
        Map.of());
  }

  /** Writes next to the file, then renames over it, as Prometheus's documentation advises. */
  private static void replace(Path file, String text) throws IOException {
    Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
    Files.writeString(tmp, text);
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
  }

  private List<String> instances() {
    ScrapePool pool = manager.pools().get("sd");
    return pool.loops().stream().map(l -> l.target().labels().get("instance")).toList();
  }

  private boolean scraped(Exporter e) {
    return up(e, " 1.0");
  }

  private boolean stale(Exporter e) {
    return up(e, " stale");
  }

  private boolean up(Exporter e, String value) {
    String instance = "instance=\"" + e.address() + "\"";
    return Stored.samples(head).stream()
        .anyMatch(s -> s.startsWith("up{") && s.contains(instance) && s.endsWith(value));
  }

  /** Polls {@code c} for up to 20 s. */
  private static void await(String what, BooleanSupplier c) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!c.getAsBoolean()) {
      assertThat(System.nanoTime() - deadline).as("still waiting for %s", what).isNegative();
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
    }
  }

  @Test
  void targetsComeAndGoWithTheirFiles() throws Exception {
    manager.apply(config(dir + "/*.yml", "5m"));
    assertThat(instances()).isEmpty();

    Path file = dir.resolve("targets.yml");
    replace(file, "- targets: ['%s']\n  labels: {env: test}\n".formatted(a.address()));
    await("a scraped", () -> scraped(a));
    ScrapeLoop loopA = manager.pools().get("sd").loops().get(0);
    assertThat(loopA.target().labels().get("env")).isEqualTo("test");
    assertThat(loopA.target().discoveredLabels().get("__meta_filepath")).isEqualTo(file.toString());

    // Written in place, the way an editor would; a's loop keeps running.
    Files.writeString(
        file,
        "- targets: ['%s', '%s']\n  labels: {env: test}\n".formatted(a.address(), b.address()));
    await("b scraped", () -> scraped(b));
    assertThat(manager.pools().get("sd").loops().get(0)).isSameAs(loopA);

    Files.delete(file);
    await("both gone", () -> instances().isEmpty());
    assertThat(stale(a)).isTrue();
    assertThat(stale(b)).isTrue();
  }

  @Test
  void aDirectoryMadeLaterIsFoundByTheRefreshInterval() throws Exception {
    Path later = dir.resolve("later");
    try (CapturedLogs logs = CapturedLogs.of(FileDiscoverer.class)) {
      manager.apply(config(later + "/*.json", "500ms"));
      assertThat(logs.messages())
          .containsExactly(
              "file_sd: cannot watch "
                  + later
                  + ", reading its files every PT0.5S only: java.nio.file.NoSuchFileException: "
                  + later);
    }
    Files.createDirectory(later);
    replace(later.resolve("t.json"), "[{\"targets\": [\"%s\"]}]".formatted(a.address()));
    await("a scraped", () -> scraped(a));

    // Watched now: the refresh interval found the directory, and the watch took over.
    replace(later.resolve("t.json"), "[{\"targets\": [\"%s\"]}]".formatted(b.address()));
    await("b instead of a", () -> instances().equals(List.of(b.address())));
    await("a stale", () -> stale(a));
  }
}
