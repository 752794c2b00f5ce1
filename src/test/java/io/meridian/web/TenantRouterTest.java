package io.meridian.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meridian.model.Labels;
import io.meridian.promql.Engine;
import io.meridian.promql.EngineOptions;
import io.meridian.remote.ProtoWriter;
import io.meridian.remote.WriteReceiver;
import io.meridian.tenant.TenantStores;
import io.meridian.testing.ManualClock;
import io.meridian.tsdb.Tsdb;
import io.meridian.tsdb.TsdbOptions;
import io.meridian.util.BuildInfo;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A receiver's tenants on a real server: what one writes, no API shows another. */
class TenantRouterTest {
  private static final long NOW = 1_700_000_000_000L;

  @TempDir Path dir;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final ManualClock clock = new ManualClock(NOW);
  private TenantStores stores;
  private WebServer server;

  private void start(long maxSeries) throws Exception {
    stores =
        new TenantStores(
            dir.resolve("tenants"), TsdbOptions.defaults().withMaxHeadSeries(maxSeries), clock);
    Engine engine = new Engine(EngineOptions.defaults(), clock);
    Function<Tsdb, ApiBackend> backends =
        db ->
            new ApiBackend(
                db,
                engine,
                db,
                clock,
                new BuildInfo("1", "a", false, "20261126"),
                Map.of(),
                () -> true,
                new io.prometheus.metrics.model.registry.PrometheusRegistry(),
                () -> Labels.EMPTY,
                false,
                null,
                Map::of,
                () -> "");
    TenantRouter router =
        new TenantRouter(
            stores,
            "X-Scope-OrgID",
            "default-tenant",
            new WriteReceiver(clock, 1 << 20),
            backends,
            () -> new io.meridian.tenant.IngestionLimiter(3, 3, clock));
    server =
        WebServer.startTenanted(
            "127.0.0.1:0", router, backends.apply(stores.get("default-tenant")));
  }

  @AfterEach
  void stop() throws Exception {
    if (server != null) {
      server.close();
    }
    if (stores != null) {
      stores.close();
    }
  }

  @BeforeEach
  void noServerYet() {
    server = null;
  }

  private HttpResponse<String> write(String header, String tenant, String... namesAndValues)
      throws Exception {
    ProtoWriter w = new ProtoWriter(64);
    int ts = w.begin(1);
    for (int i = 0; i < namesAndValues.length; i += 2) {
      int l = w.begin(1);
      w.stringField(1, namesAndValues[i]).stringField(2, namesAndValues[i + 1]);
      w.end(l);
    }
    int s = w.begin(2);
    w.doubleField(1, 1).varintField(2, NOW);
    w.end(s);
    w.end(ts);
    byte[] body = io.meridian.remote.SnappyBlock.compress(w.array(), w.length());
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/api/v1/receive"))
            .header("Content-Type", "application/x-protobuf")
            .header("Content-Encoding", "snappy")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .timeout(Duration.ofSeconds(10));
    if (tenant != null) {
      b.header(header, tenant);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(String tenant, String path) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
            .timeout(Duration.ofSeconds(10));
    if (tenant != null) {
      b.header("X-Scope-OrgID", tenant);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private List<String> names(String tenant) throws Exception {
    JsonNode data =
        new ObjectMapper()
            .readTree(get(tenant, "/api/v1/label/__name__/values").body())
            .path("data");
    List<String> out = new ArrayList<>();
    data.forEach(n -> out.add(n.asText()));
    return out;
  }

  @Test
  void eachTenantSeesOnlyItsOwnSeriesThroughEveryApi() throws Exception {
    start(0);
    assertThat(write("X-Scope-OrgID", "team-a", "__name__", "a_metric", "job", "x").statusCode())
        .isEqualTo(204);
    assertThat(write("THANOS-TENANT", "team-b", "__name__", "b_metric", "job", "x").statusCode())
        .isEqualTo(204);
    assertThat(write(null, null, "__name__", "default_metric").statusCode()).isEqualTo(204);

    assertThat(names("team-a")).containsExactly("a_metric");
    assertThat(names("team-b")).containsExactly("b_metric");
    assertThat(names(null)).containsExactly("default_metric");
    assertThat(names("nobody")).isEmpty();
    assertThat(dir.resolve("tenants/nobody")).doesNotExist(); // reading creates no tenant

    String all = URLEncoder.encode("{job=\"x\"}", StandardCharsets.UTF_8);
    assertThat(get("team-a", "/api/v1/series?match[]=" + all).body())
        .contains("a_metric")
        .doesNotContain("b_metric");
    assertThat(
            get("team-b", "/api/v1/query?query=count(%7Bjob%3D%22x%22%7D)&time=" + NOW / 1000)
                .body())
        .contains("\"1\"]");
    assertThat(get("team-a", "/api/v1/labels").body()).doesNotContain("default");
    assertThat(get("team-b", "/federate?match[]=" + all).body())
        .contains("b_metric")
        .doesNotContain("a_metric");
    // Each tenant's data is a TSDB of its own on disk.
    assertThat(Files.isDirectory(dir.resolve("tenants/team-a/wal"))).isTrue();
    assertThat(Files.isDirectory(dir.resolve("tenants/team-b/wal"))).isTrue();
  }

  @Test
  void aTenantOverItsIngestionRateGets429AndNothingOfThatRequestIsStored() throws Exception {
    start(0); // 3 samples per second, burst 3
    for (int i = 0; i < 3; i++) {
      assertThat(write("X-Scope-OrgID", "busy", "__name__", "m" + i).statusCode()).isEqualTo(204);
    }
    HttpResponse<String> over = write("X-Scope-OrgID", "busy", "__name__", "refused");
    assertThat(over.statusCode()).isEqualTo(429);
    assertThat(over.body())
        .startsWith("ingestion rate limit (3 samples/s, burst 3) exceeded by tenant busy");
    assertThat(write("X-Scope-OrgID", "calm", "__name__", "other").statusCode()).isEqualTo(204);
    clock.advance(Duration.ofSeconds(1));
    assertThat(write("X-Scope-OrgID", "busy", "__name__", "later").statusCode()).isEqualTo(204);
    assertThat(names("busy")).containsExactly("later", "m0", "m1", "m2");
  }

  @Test
  void invalidTenantsAre400AndTheSeriesLimitIs429() throws Exception {
    start(1);
    HttpResponse<String> bad = write("X-Scope-OrgID", "../etc", "__name__", "m");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.body())
        .contains("invalid tenant ID \"../etc\"")
        .contains("unsupported character '/'");
    assertThat(write("X-Scope-OrgID", "small", "__name__", "first").statusCode()).isEqualTo(204);
    HttpResponse<String> over = write("X-Scope-OrgID", "small", "__name__", "second");
    assertThat(over.statusCode()).isEqualTo(429);
    assertThat(over.body()).startsWith("too many series: series limit reached");
    assertThat(write("X-Scope-OrgID", "other", "__name__", "second").statusCode()).isEqualTo(204);
  }
}
