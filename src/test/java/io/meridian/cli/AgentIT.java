package io.meridian.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.testing.MeridianProcess;
import io.meridian.testing.SyntheticExporter;
import io.meridian.tsdb.wal.Records;
import io.meridian.tsdb.wal.WalReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./meridian agent} as users run it: it scrapes targets and remote-writes them into {@code
 * meridian receive}, keeps only a WAL (no blocks, nothing queryable: the query API answers 422),
 * serves health, {@code /metrics} and the targets page, and after a restart on the same directory
 * goes on from its saved position: the receiver ends up with every sample the agent appended.
 */
class AgentIT {
  @TempDir Path dir;

  @Test
  void scrapesAndForwardsOnlyAndResumesAfterARestart() throws Exception {
    try (SyntheticExporter exporter = new SyntheticExporter(1000, 1);
        MeridianProcess receiver = MeridianProcess.receive(dir)) {
      exporter.open();
      String config =
          """
          global:
            scrape_interval: 1s
            scrape_timeout: 900ms
            external_labels: {replica: edge}
          remote_write:
            - url: http://127.0.0.1:%d/api/v1/write
              name: central
              queue_config: {batch_send_deadline: 500ms, min_backoff: 50ms, max_backoff: 500ms}
          scrape_configs:
            - job_name: pods
              static_configs:
          """
                  .formatted(receiver.port())
              + SyntheticExporter.staticConfigs(List.of(exporter));
      MeridianProcess agent = MeridianProcess.agent(dir, config);
      try {
        MeridianProcess first = agent;
        await("samples sent", () -> first.metric("meridian_remote_storage_samples_total") > 200);
        assertThat(agent.get("/-/healthy").statusCode()).isEqualTo(200);
        var query = agent.get("/api/v1/query?query=up");
        assertThat(query.statusCode()).isEqualTo(422);
        assertThat(query.body()).contains("\"errorType\":\"unavailable\"");
        assertThat(agent.get("/api/v1/targets").body()).contains("\"health\":\"up\"");
        assertThat(agent.get("/federate?match[]=up").statusCode()).isEqualTo(404);
        try (var files = Files.list(agent.dataDir())) {
          assertThat(files.map(p -> p.getFileName().toString()))
              .containsExactlyInAnyOrder("wal", "remote_write");
        }

        agent = agent.restart();
        MeridianProcess again = agent;
        await(
            "sending after the restart",
            () -> again.metric("meridian_remote_storage_samples_total") > 100);
        agent.stop(); // flushes what is queued and saves the position
      } finally {
        agent.close();
      }
      // The receiver stored exactly what the agent's WAL holds over both runs: nothing lost at
      // the restart, nothing sent twice.
      long logged = walSamples(agent.dataDir().resolve("wal"));
      assertThat(logged).isGreaterThan(300);
      assertThat(receiver.metric("meridian_remote_write_samples_stored_total"))
          .isEqualTo((double) logged);
      assertThat(receiver.metric("meridian_remote_write_samples_refused_total")).isZero();
      assertThat(receiver.get("/api/v1/label/replica/values").body()).contains("\"edge\"");
    }
  }

  private static long walSamples(Path wal) throws Exception {
    long n = 0;
    Records.SampleBatch b = new Records.SampleBatch();
    try (WalReader r = WalReader.open(wal, 0, Integer.MAX_VALUE)) {
      while (r.next()) {
        if (Records.type(r.record()) == Records.Type.SAMPLES) {
          Records.decodeSamples(r.record(), b);
          n += b.size;
        }
      }
    }
    return n;
  }

  private static void await(String what, Callable<Boolean> cond) throws Exception {
    long until = System.nanoTime() + Duration.ofSeconds(40).toNanos();
    while (!cond.call()) {
      if (System.nanoTime() > until) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(200);
    }
  }
}
