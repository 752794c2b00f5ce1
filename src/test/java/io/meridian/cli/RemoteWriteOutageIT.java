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
              config(exporters, receiver.port()),
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
      Map<String, String> sent = samples(sender, window, end, false);
      Map<String, String> received = samples(receiver, window, end, true);
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

  private static void assertNothingFailedOrDropped(MeridianProcess sender) throws Exception {
    assertThat(sender.metric("meridian_remote_storage_samples_failed_total", REMOTE))
        .as("samples failed")
        .isZero();
    assertThat(sender.metric("meridian_remote_storage_samples_dropped_total", REMOTE))
        .as("samples dropped")
        .isZero();
  }

  /** The sender's config: the exporters every tick, itself, and the receiver with a replica. */
  private static String config(List<SyntheticExporter> exporters, int receiverPort) {
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
      - job_name: meridian
        static_configs: [{targets: ['127.0.0.1:%%1$d']}]
      - job_name: pods
        static_configs:
    """
            .formatted(receiverPort)
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
   * A range selector's raw samples by series; a remote's series must carry the sender's external
   * label, which is then taken out so they compare with the sender's own.
   */
  private static Map<String, String> samples(MeridianProcess m, String q, long at, boolean remote)
      throws Exception {
    Map<String, String> out = new TreeMap<>();
    for (JsonNode s : query(m, q, at)) {
      Map<String, String> labels = new TreeMap<>();
      s.path("metric").properties().forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
      if (remote) {
        assertThat(labels.remove("replica")).as("external label of %s", labels).isEqualTo("a");
      }
      out.put(labels.toString(), s.path("values").toString());
    }
    return out;
  }

  /** The first few series that differ, each with what differs. */
  private static List<String> difference(Map<String, String> sent, Map<String, String> received) {
    List<String> out = new ArrayList<>();
    Set<String> all = new TreeSet<>(sent.keySet());
    all.addAll(received.keySet());
    for (Iterator<String> it = all.iterator(); it.hasNext() && out.size() < 5; ) {
      String k = it.next();
      String a = sent.get(k);
      String b = received.get(k);
      if (a == null || !a.equals(b)) {
        out.add(k + "\n  sent:     " + a + "\n  received: " + b);
      }
    }
    return out;
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
