package io.meridian.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.remote.ProtoWriter;
import io.meridian.testing.MeridianProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./meridian receive} as users run it: tenants by header, metrics, a clean stop. */
class ReceiveIT {
  @TempDir Path dir;

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @Test
  void receivesPerTenantAndStopsCleanly() throws Exception {
    MeridianProcess recv =
        MeridianProcess.receive(dir, "--receive.tenant-header=X-Tenant", "--log.format=json");
    try {
      long now = System.currentTimeMillis();
      ProtoWriter w = new ProtoWriter(64);
      int ts = w.begin(1);
      int l = w.begin(1);
      w.stringField(1, "__name__").stringField(2, "pushed");
      w.end(l);
      int s = w.begin(2);
      w.doubleField(1, 7).varintField(2, now);
      w.end(s);
      w.end(ts);
      byte[] body = io.meridian.remote.SnappyBlock.compress(w.array(), w.length());
      HttpResponse<String> written =
          http.send(
              HttpRequest.newBuilder(
                      URI.create("http://127.0.0.1:" + recv.port() + "/api/v1/receive"))
                  .header("Content-Type", "application/x-protobuf")
                  .header("Content-Encoding", "snappy")
                  .header("X-Tenant", "cluster1")
                  .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                  .timeout(Duration.ofSeconds(10))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(written.statusCode()).as(written.body()).isEqualTo(204);

      String query = "/api/v1/query?query=pushed&time=" + now / 1000.0;
      HttpResponse<String> own =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + recv.port() + query))
                  .header("X-Tenant", "cluster1")
                  .timeout(Duration.ofSeconds(10))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(own.body()).contains("\"pushed\"").contains("\"7\"]");
      assertThat(recv.get(query).body()).doesNotContain("pushed"); // the default tenant's view
      assertThat(recv.get("/metrics").body())
          .contains("meridian_remote_write_requests_total{code=\"204\"} 1.0");
      assertThat(recv.get("/api/v1/status/flags").body())
          .contains("\"receive.tenant-header\":\"X-Tenant\"");
    } finally {
      assertThat(recv.stop()).isIn(0, 143);
    }
    assertThat(recv.logText()).contains("\"msg\":\"stopped\"");
    // The tenant's samples went to a TSDB of its own, beside the default tenant's.
    java.io.File[] data = dir.toFile().listFiles((d, name) -> name.startsWith("receive-data"));
    assertThat(data).hasSize(1);
    assertThat(data[0].toPath().resolve("cluster1/wal")).isDirectory();
    assertThat(data[0].toPath().resolve("default-tenant")).isDirectory();
  }
}
