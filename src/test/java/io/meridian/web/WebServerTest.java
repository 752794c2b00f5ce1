package io.meridian.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meridian.model.Labels;
import io.meridian.promql.Engine;
import io.meridian.promql.EngineOptions;
import io.meridian.storage.Appender;
import io.meridian.testing.ManualClock;
import io.meridian.tsdb.Tsdb;
import io.meridian.tsdb.TsdbOptions;
import io.meridian.tsdb.head.Head;
import io.meridian.tsdb.head.HeadOptions;
import io.meridian.tsdb.head.Journal;
import io.meridian.util.BuildInfo;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HTTP API on a real server on 127.0.0.1: Prometheus's JSON shapes, parameters and errors. */
class WebServerTest {
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final ObjectMapper json = new ObjectMapper();
  private WebServer server;
  private ApiBackend backend;
  private Head head;
  private ManualClock clock;

  @BeforeEach
  void start() throws Exception {
    head = new Head(HeadOptions.defaults(), Journal.NONE);
    Appender app = head.appender();
    for (long t = 0; t <= 300_000; t += 15_000) {
      app.append(Labels.of("__name__", "up", "job", "api", "instance", "a:1"), t, 1);
      app.append(Labels.of("__name__", "up", "job", "web", "instance", "b:1"), t, 0);
      app.append(
          Labels.of("__name__", "http_requests_total", "job", "api", "code", "200"), t, t / 1000.0);
    }
    app.commit();
    clock = new ManualClock(300_000);
    backend =
        new ApiBackend(
            head,
            new Engine(EngineOptions.defaults(), clock),
            null,
            clock,
            new BuildInfo("1.2.3", "abc", false, "20261126"),
            Map.of("web.listen-address", "127.0.0.1:0"),
            () -> true,
            new io.prometheus.metrics.model.registry.PrometheusRegistry(),
            () -> Labels.of("cluster", "c1"),
            true,
            null,
            Map::of,
            () -> "");
    server = WebServer.start("127.0.0.1:0", backend);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private HttpResponse<String> get(String pathAndQuery) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + pathAndQuery))
            .timeout(Duration.ofSeconds(10))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(String path, String form) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form))
            .timeout(Duration.ofSeconds(10))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void remoteWriteIsOffUnlessEnabledAndThenStoresWhatItGets() throws Exception {
    HttpResponse<String> off = post("/api/v1/write", "");
    assertThat(off.statusCode()).isEqualTo(404);
    assertThat(off.body())
        .isEqualTo(
            "remote write receiver needs to be enabled with --web.enable-remote-write-receiver\n");

    server.close();
    server =
        WebServer.start(
            "127.0.0.1:0",
            backend,
            "",
            RemoteWriteEndpoint.enabled(
                new io.meridian.remote.WriteReceiver(clock, 1 << 20), head));
    assertThat(get("/api/v1/receive").statusCode()).isEqualTo(405);
    io.meridian.remote.ProtoWriter w = new io.meridian.remote.ProtoWriter(64);
    int series = w.begin(1);
    int label = w.begin(1);
    w.stringField(1, "__name__").stringField(2, "pushed");
    w.end(label);
    int sample = w.begin(2);
    w.doubleField(1, 42).varintField(2, 300_000);
    w.end(sample);
    w.end(series);
    byte[] body = io.meridian.remote.SnappyBlock.compress(w.array(), w.length());
    for (String path : new String[] {"/api/v1/write", "/api/v1/receive"}) {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                  .header("Content-Type", "application/x-protobuf")
                  .header("Content-Encoding", "snappy")
                  .header("X-Prometheus-Remote-Write-Version", "0.1.0")
                  .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                  .timeout(Duration.ofSeconds(10))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as(r.body()).isEqualTo(204);
    }
    JsonNode pushed = json.readTree(get("/api/v1/query?query=pushed&time=300").body());
    assertThat(pushed.path("data").path("result").get(0).path("value").get(1).asText())
        .isEqualTo("42");
    HttpResponse<String> bad = post("/api/v1/write", "not snappy");
    assertThat(bad.statusCode()).isEqualTo(415); // a form is not a protobuf message
  }

  private static String q(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  @Test
  void instantQueriesAnswerInPrometheussShape() throws Exception {
    HttpResponse<String> r = get("/api/v1/query?query=" + q("up{job=\"api\"}") + "&time=300.5");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
    assertThat(r.body())
        .isEqualTo(
            "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":"
                + "{\"__name__\":\"up\",\"instance\":\"a:1\",\"job\":\"api\"},\"value\":[300.500,"
                + "\"1\"]}]}}");
    assertThat(get("/api/v1/query?query=1%2B1&time=10").body())
        .isEqualTo(
            "{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[10,\"2\"]}}");
    assertThat(get("/api/v1/query?query=" + q("\"hi\"") + "&time=10").body())
        .contains("\"resultType\":\"string\",\"result\":[10,\"hi\"]");
    JsonNode m = json.readTree(get("/api/v1/query?query=" + q("up[30s]") + "&time=300").body());
    assertThat(m.path("data").path("resultType").asText()).isEqualTo("matrix");
    assertThat(m.path("data").path("result").get(0).path("values").toString())
        .isEqualTo("[[285,\"1\"],[300,\"1\"]]");
    // time defaults to now (the clock: 300 s)
    JsonNode now = json.readTree(get("/api/v1/query?query=up").body());
    assertThat(now.path("data").path("result").get(0).path("value").get(0).asDouble())
        .isEqualTo(300.0);
  }

  @Test
  void rangeQueriesByGetAndByFormPost() throws Exception {
    String form = "query=" + q("sum(up)") + "&start=0&end=60&step=30s";
    HttpResponse<String> r = post("/api/v1/query_range", form);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body())
        .isEqualTo(
            "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[{\"metric\":{},"
                + "\"values\":[[0,\"1\"],[30,\"1\"],[60,\"1\"]]}]}}");
    assertThat(get("/api/v1/query_range?" + form).body()).isEqualTo(r.body());
    JsonNode rate =
        json.readTree(
            get("/api/v1/query_range?query="
                    + q("rate(up[1m])")
                    + "&start=60&end=120&step=60&foo=bar")
                .body());
    assertThat(rate.path("infos").get(0).asText())
        .startsWith("PromQL info: metric might not be a counter");
  }

  @Test
  void badInputGetsPrometheussErrors() throws Exception {
    HttpResponse<String> parse = get("/api/v1/query?query=" + q("sum(up"));
    assertThat(parse.statusCode()).isEqualTo(400);
    JsonNode e = json.readTree(parse.body());
    assertThat(e.path("status").asText()).isEqualTo("error");
    assertThat(e.path("errorType").asText()).isEqualTo("bad_data");
    assertThat(e.path("error").asText())
        .startsWith("invalid parameter \"query\": 1:")
        .contains("parse error");

    HttpResponse<String> manyToMany = get("/api/v1/query?time=300&query=" + q("up + on() up"));
    assertThat(manyToMany.statusCode()).isEqualTo(422);
    assertThat(json.readTree(manyToMany.body()).path("errorType").asText()).isEqualTo("execution");

    assertThat(get("/api/v1/query_range?query=up&start=0&end=60").body())
        .contains("invalid parameter \\\"step\\\"");
    assertThat(get("/api/v1/query_range?query=up&start=60&end=0&step=15").body())
        .contains("end timestamp must not be before start time");
    assertThat(get("/api/v1/query_range?query=up&start=0&end=100000&step=1").body())
        .contains("exceeded maximum resolution of 11,000 points per timeseries");
    assertThat(get("/api/v1/query?query=up&time=yesterday").body())
        .contains(
            "invalid parameter \\\"time\\\": cannot parse \\\"yesterday\\\" to a valid timestamp");
    assertThat(get("/api/v1/series").statusCode()).isEqualTo(400);
    assertThat(get("/api/v1/series?match[]=" + q("{job=~\".*\"}")).body())
        .contains("match[] must contain at least one non-empty matcher");
    assertThat(get("/api/v1/nothing").statusCode()).isEqualTo(404);
  }

  @Test
  void seriesLabelsAndValues() throws Exception {
    JsonNode series =
        json.readTree(get("/api/v1/series?match[]=up&match[]=" + q("{code=\"200\"}")).body());
    assertThat(series.path("data").toString())
        .isEqualTo(
            "[{\"__name__\":\"http_requests_total\",\"code\":\"200\",\"job\":\"api\"},"
                + "{\"__name__\":\"up\",\"instance\":\"a:1\",\"job\":\"api\"},"
                + "{\"__name__\":\"up\",\"instance\":\"b:1\",\"job\":\"web\"}]");
    assertThat(json.readTree(get("/api/v1/labels").body()).path("data").toString())
        .isEqualTo("[\"__name__\",\"code\",\"instance\",\"job\"]");
    assertThat(
            json.readTree(get("/api/v1/labels?match[]=" + q("{job=\"web\"}")).body())
                .path("data")
                .toString())
        .isEqualTo("[\"__name__\",\"instance\",\"job\"]");
    assertThat(json.readTree(get("/api/v1/label/job/values").body()).path("data").toString())
        .isEqualTo("[\"api\",\"web\"]");
    JsonNode limited = json.readTree(get("/api/v1/label/__name__/values?limit=1").body());
    assertThat(limited.path("data").toString()).isEqualTo("[\"http_requests_total\"]");
    assertThat(limited.path("warnings").get(0).asText())
        .isEqualTo("results truncated due to limit");
  }

  @Test
  void formatQueryStatusAndHealth() throws Exception {
    assertThat(get("/api/v1/format_query?query=" + q("sum(rate(x[5m]))by(job)")).body())
        .isEqualTo("{\"status\":\"success\",\"data\":\"sum by (job) (rate(x[5m]))\"}");
    JsonNode build = json.readTree(get("/api/v1/status/buildinfo").body());
    assertThat(build.path("data").path("version").asText()).isEqualTo("1.2.3");
    assertThat(json.readTree(get("/api/v1/status/flags").body()).path("data").toString())
        .isEqualTo("{\"web.listen-address\":\"127.0.0.1:0\"}");
    assertThat(get("/-/healthy").body()).isEqualTo("Prometheus Server is Healthy.\n");
    assertThat(get("/-/ready").statusCode()).isEqualTo(200);
  }

  @Test
  void federateServesTheNewestSamplesWithExternalLabelsPlainOrGzipped() throws Exception {
    String want =
        """
        # TYPE http_requests_total untyped
        http_requests_total{cluster="c1",code="200",job="api"} 300 300000
        # TYPE up untyped
        up{cluster="c1",instance="a:1",job="api"} 1 300000
        up{cluster="c1",instance="b:1",job="web"} 0 300000
        """;
    String path = "/federate?match[]=up&match[]=" + q("{job=\"api\"}");
    HttpResponse<String> plain = get(path);
    assertThat(plain.statusCode()).isEqualTo(200);
    assertThat(plain.headers().firstValue("Content-Type").orElse(""))
        .startsWith("text/plain; version=0.0.4");
    assertThat(plain.body()).isEqualTo(want);
    HttpResponse<byte[]> gz =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .header("Accept-Encoding", "gzip")
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertThat(gz.headers().firstValue("Content-Encoding")).hasValue("gzip");
    try (var in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(gz.body()))) {
      assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(want);
    }
    assertThat(get("/federate?match[]=" + q("up{")).statusCode()).isEqualTo(400);
    assertThat(get("/federate").body()).isEmpty();
  }

  @Test
  void adminDeleteSeriesHidesTheirDataAndIsOffUnlessEnabled(@TempDir Path dir) throws Exception {
    ManualClock clock = new ManualClock(300_000);
    try (Tsdb db = Tsdb.open(dir, TsdbOptions.defaults(), clock)) {
      Appender app = db.appender();
      for (long t = 0; t <= 300_000; t += 15_000) {
        app.append(Labels.of("__name__", "up", "job", "api"), t, 1);
        app.append(Labels.of("__name__", "up", "job", "web"), t, 0);
      }
      app.commit();
      for (boolean enabled : new boolean[] {false, true}) {
        ApiBackend b =
            new ApiBackend(
                db,
                new Engine(EngineOptions.defaults(), clock),
                db,
                clock,
                new BuildInfo("1.2.3", "abc", false, "20261126"),
                Map.of(),
                () -> true,
                new io.prometheus.metrics.model.registry.PrometheusRegistry(),
                () -> Labels.EMPTY,
                enabled,
                null,
                Map::of,
                () -> "");
        server.close();
        server = WebServer.start("127.0.0.1:0", b);
        HttpResponse<String> r =
            post("/api/v1/admin/tsdb/delete_series", "match[]=" + q("up{job=\"web\"}"));
        if (!enabled) {
          assertThat(r.statusCode()).isEqualTo(503);
          assertThat(r.body()).contains("admin APIs disabled");
          continue;
        }
        assertThat(r.statusCode()).as(r.body()).isEqualTo(204);
        assertThat(post("/api/v1/admin/tsdb/delete_series", "").statusCode()).isEqualTo(400);
        JsonNode up = json.readTree(get("/api/v1/query?query=up&time=300").body());
        assertThat(up.path("data").path("result")).hasSize(1);
        assertThat(up.path("data").path("result").get(0).path("metric").path("job").asText())
            .isEqualTo("api");
        assertThat(post("/api/v1/admin/tsdb/clean_tombstones", "").statusCode()).isEqualTo(204);
      }
    }
  }

  @Test
  void sampleValuesAndTimestampsAreWrittenAsPrometheusWritesThem() {
    assertThat(ApiJson.timestamp(1_435_781_451_781L)).isEqualTo("1435781451.781");
    assertThat(ApiJson.timestamp(1_000_050L)).isEqualTo("1000.050");
    assertThat(ApiJson.timestamp(-1_500L)).isEqualTo("-1.500");
    assertThat(ApiJson.value(0.1)).isEqualTo("0.1");
    assertThat(ApiJson.value(1e-7)).isEqualTo("1e-07");
    assertThat(ApiJson.value(1.5e21)).isEqualTo("1.5e+21");
    assertThat(ApiJson.value(123456789012.0)).isEqualTo("123456789012");
    assertThat(ApiJson.value(Double.NaN)).isEqualTo("NaN");
    assertThat(ApiJson.value(Double.NEGATIVE_INFINITY)).isEqualTo("-Inf");
  }
}
