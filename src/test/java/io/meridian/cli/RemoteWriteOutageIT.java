package io.meridian.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meridian.testing.MeridianProcess;
import io.meridian.testing.SyntheticExporter;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Meridian server remote-writes into {@code meridian receive} through an outage that outlasts its
 * head: with 10 s blocks and 32 KiB WAL segments, the sender cuts blocks from its head, drops the
 * series of a target that went away, deletes WAL segments and writes a checkpoint while the
 * receiver is down, and is itself restarted (SIGTERM, then the same data directory) in the middle
 * of it. Its lag rises during the outage (also right after the restart, before anything was sent)
 * and drains after; then the receiver holds every sample the sender stored over the run, timestamps
 * and values equal, under the sender's external label, and nothing was counted failed or dropped.
 */
class RemoteWriteOutageIT {
  private static final long TICK = 1000;
  private static final int EXPORTERS = 10;
  private static final String REMOTE = "remote_name=\"receiver\"";
  private static final Duration STEP_BUDGET = Duration.ofSeconds(40);

  @TempDir Path dir;

  @Test
  void everySampleArrivesAfterAnOutageWithHeadTruncationAndASenderRestart() throws Exception {
    List<SyntheticExporter> exporters = new ArrayList<>();
    MeridianProcess receiver = null;
    MeridianProcess sender = null;
    try {
      for (int i = 1; i <= EXPORTERS; i++) {
        exporters.add(new SyntheticExporter(TICK, i));
      }
      receiver = MeridianProcess.receive(dir);
      sender =
          MeridianProcess.start(
              dir,
              config(exporters, receiver.port(), true),
              "--storage.tsdb.min-block-duration=10s",
              "--storage.tsdb.wal-segment-size=32KB");
      exporters.forEach(SyntheticExporter::open);
      long runStart = System.currentTimeMillis();

      // Sending works, and its position left segment 0, so the outage can see a checkpoint.
      MeridianProcess s1 = sender;
      await(
          "the sender past WAL segment 0",
          () -> positionSegment(s1) >= 1 && s1.metric("meridian_remote_storage_samples_total") > 0);
      Set<String> checkpointsBefore = checkpoints(sender);
      double cutsBefore = sender.metric("meridian_tsdb_head_compactions_total");
      double removedBefore = sender.metric("meridian_tsdb_head_series_removed_total");

      receiver.stop();
      long outageStart = System.currentTimeMillis();
      // A target goes away during the outage: the head drops its series when it is cut, while
      // their last samples wait in the held WAL to be sent.
      exporters.removeLast().close();
      await(
          "a block cut from the head, series removed and a new WAL checkpoint during the outage",
          () ->
              s1.metric("meridian_tsdb_head_compactions_total") > cutsBefore
                  && s1.metric("meridian_tsdb_head_series_removed_total") > removedBefore
                  && !checkpointsBefore.containsAll(checkpoints(s1)));
      int held = positionSegment(sender);
      assertThat(sender.dataDir().resolve("wal").resolve("%08d".formatted(held)))
          .as("the segment the receiver still needs is kept")
          .exists();
      await("the lag to grow", () -> lag(s1) >= 8);
      assertNothingFailedOrDropped(sender);

      sender = sender.restart(); // mid-outage, on the same data directory
      MeridianProcess s2 = sender;
      double sinceOutage = (System.currentTimeMillis() - outageStart) / 1000.0;
      await("the restarted sender to show its lag", () -> lag(s2) >= sinceOutage - 5);

      receiver = receiver.restart();
      long back = System.currentTimeMillis();
      await("the lag to drain", () -> lag(s2) <= 2);
      double drained = (System.currentTimeMillis() - back) / 1000.0;
      assertThat(drained).as("seconds to drain the backlog").isLessThan(30);

      // A window wholly inside the run, ending well after the receiver came back; once every
      // series has a sample past its end in the receiver, all before it have arrived (a series'
      // samples are sent in order).
      long end = (back / TICK + 3) * TICK;
      MeridianProcess r = receiver;
      String pastEnd = "count(timestamp({__name__=~\".+\"}) > " + end / 1000.0 + ")";
      await(
          "every series past the window in the receiver",
          () -> scalar(s2, pastEnd) > 0 && scalar(r, pastEnd) == scalar(s2, pastEnd));
      String window = "{__name__=~\".+\"}[" + (end - runStart + TICK) / 1000 + "s]";
      Map<String, SortedMap<Long, String>> sent = samples(sender, window, end, false);
      Map<String, SortedMap<Long, String>> received = samples(receiver, window, end, true);
      assertThat(sent.keySet()).as("series sent").hasSizeGreaterThan(500);
      assertThat(difference(sent, received)).as("sent vs received").isEmpty();
      assertNothingFailedOrDropped(sender);
    } finally {
      if (sender != null) {
        sender.close();
      }
      if (receiver != null) {
        receiver.close();
      }
      exporters.forEach(SyntheticExporter::close);
    }
  }

  @Test
  void aBacklogOverItsBudgetDropsItsOldestSamples() throws Exception {
    List<SyntheticExporter> exporters = new ArrayList<>();
    MeridianProcess receiver = null;
    MeridianProcess sender = null;
    try {
      for (int i = 1; i <= EXPORTERS; i++) {
        exporters.add(new SyntheticExporter(TICK, i));
      }
      receiver = MeridianProcess.receive(dir);
      long runStart = System.currentTimeMillis();
      // Not scraping itself: a target's series that end would add staleness markers, which the
      // counters count as samples and queries do not.
      sender =
          MeridianProcess.start(
              dir,
              config(exporters, receiver.port(), false),
              "--storage.tsdb.wal-segment-size=32KB",
              "--storage.remote.max-backlog-size=64KB");
      exporters.forEach(SyntheticExporter::open);
      MeridianProcess s = sender;
      await("sending", () -> s.metric("meridian_remote_storage_samples_total") > 0);

      receiver.stop();
      long outageStart = System.currentTimeMillis();
      String budget = "reason=\"backlog_budget\"";
      await(
          "the backlog over its budget",
          () -> s.metric("meridian_remote_storage_samples_dropped_total", REMOTE, budget) > 0);
      receiver = receiver.restart();
      long back = System.currentTimeMillis();
      await("the lag to drain", () -> lag(s) <= 2);

      long end = (back / TICK + 3) * TICK;
      MeridianProcess r = receiver;
      String pastEnd = "count(timestamp({__name__=~\".+\"}) > " + end / 1000.0 + ")";
      await(
          "every series past the window in the receiver",
          () -> scalar(s, pastEnd) > 0 && scalar(r, pastEnd) == scalar(s, pastEnd));
      String window = "{__name__=~\".+\"}[" + (end - runStart + TICK) / 1000 + "s]";
      Map<String, SortedMap<Long, String>> sent = samples(sender, window, end, false);
      Map<String, SortedMap<Long, String>> received = samples(receiver, window, end, true);
      double dropped = sender.metric("meridian_remote_storage_samples_dropped_total", REMOTE);
      assertThat(dropped)
          .as("dropped, all by the budget")
          .isEqualTo(
              sender.metric("meridian_remote_storage_samples_dropped_total", REMOTE, budget));
      assertThat(sender.metric("meridian_remote_storage_samples_failed_total", REMOTE))
          .as("samples failed")
          .isZero();
      assertThat(received.keySet()).as("series received").isEqualTo(sent.keySet());
      assertThat(count(received) + (long) dropped)
          .as("received and dropped samples together: all the sender stored")
          .isEqualTo(count(sent));
      // Oldest first: per series, the samples missing are one run from the start of the outage,
      // and the newest samples of the outage arrived.
      for (String series : sent.keySet()) {
        List<Long> missing = droppedRun(series, sent.get(series), received.get(series));
        if (!missing.isEmpty()) {
          assertThat(missing.getFirst())
              .as("first dropped of %s", series)
              .isGreaterThan(outageStart - 3 * TICK);
          assertThat(missing.getLast())
              .as("last dropped of %s", series)
              .isLessThan(back - 3 * TICK);
        }
      }
    } finally {
      if (sender != null) {
        sender.close();
      }
      if (receiver != null) {
        receiver.close();
      }
      exporters.forEach(SyntheticExporter::close);
    }
  }

  private static void assertNothingFailedOrDropped(MeridianProcess sender) throws Exception {
    assertThat(sender.metric("meridian_remote_storage_samples_failed_total", REMOTE))
        .as("samples failed")
        .isZero();
    assertThat(sender.metric("meridian_remote_storage_samples_dropped_total", REMOTE))
        .as("samples dropped")
        .isZero();
  }

  /**
   * The sender's config: the exporters every tick, itself if asked, and the receiver, the series
   * sent with an external label.
   */
  private static String config(
      List<SyntheticExporter> exporters, int receiverPort, boolean scrapeItself) {
    String self =
        """
          - job_name: meridian
            static_configs: [{targets: ['127.0.0.1:%1$d']}]
        """;
    return """
    global:
      scrape_interval: 1s
      scrape_timeout: 900ms
      external_labels: {replica: a}
    remote_write:
      - url: http://127.0.0.1:%d/api/v1/write
        name: receiver
        queue_config: {min_backoff: 100ms, max_backoff: 1s, batch_send_deadline: 1s}
    scrape_configs:
    """
            .formatted(receiverPort)
        + (scrapeItself ? self : "")
        + """
          - job_name: pods
            static_configs:
        """
        + SyntheticExporter.staticConfigs(exporters);
  }

  private static int positionSegment(MeridianProcess sender) throws IOException {
    Path p = sender.dataDir().resolve("remote_write/receiver.position");
    if (!Files.exists(p)) {
      return -1;
    }
    String s = Files.readString(p).strip();
    return Integer.parseInt(s.substring(0, s.indexOf(' ')));
  }

  private static Set<String> checkpoints(MeridianProcess m) throws IOException {
    try (Stream<Path> s = Files.list(m.dataDir().resolve("wal"))) {
      Set<String> out = new TreeSet<>();
      s.map(p -> p.getFileName().toString())
          .filter(n -> n.startsWith("checkpoint."))
          .forEach(out::add);
      return out;
    }
  }

  private static double lag(MeridianProcess sender) throws Exception {
    return sender.metric("meridian_remote_storage_lag_seconds", REMOTE);
  }

  private static JsonNode query(MeridianProcess m, String q, long atMillis) throws Exception {
    String path =
        "/api/v1/query?query="
            + URLEncoder.encode(q, StandardCharsets.UTF_8)
            + (atMillis >= 0 ? "&time=" + atMillis / 1000.0 : "");
    var resp = m.get(path);
    assertThat(resp.statusCode()).as("%s: %s", q, resp.body()).isEqualTo(200);
    return new ObjectMapper().readTree(resp.body()).path("data").path("result");
  }

  private static double scalar(MeridianProcess m, String q) throws Exception {
    JsonNode r = query(m, q, -1);
    return r.isEmpty() ? 0 : r.get(0).path("value").get(1).asDouble();
  }

  /**
   * A range selector's raw samples by series, as time → value; a remote's series must carry the
   * sender's external label, which is then taken out so they compare with the sender's own.
   */
  private static Map<String, SortedMap<Long, String>> samples(
      MeridianProcess m, String q, long at, boolean remote) throws Exception {
    Map<String, SortedMap<Long, String>> out = new TreeMap<>();
    for (JsonNode s : query(m, q, at)) {
      Map<String, String> labels = new TreeMap<>();
      s.path("metric").properties().forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
      if (remote) {
        assertThat(labels.remove("replica")).as("external label of %s", labels).isEqualTo("a");
      }
      SortedMap<Long, String> points = new TreeMap<>();
      for (JsonNode p : s.path("values")) {
        points.put(Math.round(p.get(0).asDouble() * 1000), p.get(1).asText());
      }
      out.put(labels.toString(), points);
    }
    return out;
  }

  private static long count(Map<String, SortedMap<Long, String>> samples) {
    return samples.values().stream().mapToLong(Map::size).sum();
  }

  /** The first few series that differ, each with what differs. */
  private static List<String> difference(
      Map<String, SortedMap<Long, String>> sent, Map<String, SortedMap<Long, String>> received) {
    List<String> out = new ArrayList<>();
    Set<String> all = new TreeSet<>(sent.keySet());
    all.addAll(received.keySet());
    for (Iterator<String> it = all.iterator(); it.hasNext() && out.size() < 5; ) {
      String k = it.next();
      var a = sent.get(k);
      var b = received.get(k);
      if (a == null || !a.equals(b)) {
        out.add(k + "\n  sent:     " + a + "\n  received: " + b);
      }
    }
    return out;
  }

  /**
   * What the budget dropped from a series: the sender's samples the receiver lacks, which must be
   * one run of consecutive samples (the oldest unsent at the time, dropped with their segments);
   * every received sample must be the sender's.
   */
  private static List<Long> droppedRun(
      String series, SortedMap<Long, String> sent, SortedMap<Long, String> received) {
    assertThat(sent)
        .as("received samples of %s are the sent ones", series)
        .containsAllEntriesOf(received);
    List<Long> missing = new ArrayList<>();
    boolean runEnded = false;
    for (var e : sent.entrySet()) {
      if (received.containsKey(e.getKey())) {
        runEnded = !missing.isEmpty();
      } else {
        assertThat(runEnded)
            .as("%s lacks samples apart from one run: %s", series, missing)
            .isFalse();
        missing.add(e.getKey());
      }
    }
    return missing;
  }

  private interface Condition {
    boolean holds() throws Exception;
  }

  /** Polls {@code c} every 200 ms for up to {@link #STEP_BUDGET}. */
  private static void await(String what, Condition c) throws Exception {
    long deadline = System.nanoTime() + STEP_BUDGET.toNanos();
    while (!c.holds()) {
      assertThat(System.nanoTime() - deadline).as("waiting for %s", what).isNegative();
      Thread.sleep(200);
    }
  }
}
