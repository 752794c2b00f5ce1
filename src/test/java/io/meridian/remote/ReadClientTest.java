package io.meridian.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.meridian.config.HttpClientConfig;
import io.meridian.config.RemoteReadConfig;
import io.meridian.model.Labels;
import io.meridian.model.Matcher;
import io.meridian.storage.Appender;
import io.meridian.storage.LabelHints;
import io.meridian.storage.Querier;
import io.meridian.storage.SampleIterator;
import io.meridian.storage.SelectHints;
import io.meridian.storage.SeriesSet;
import io.meridian.tsdb.head.Head;
import io.meridian.tsdb.head.HeadOptions;
import io.meridian.tsdb.head.Journal;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The remote read client and store against a real HTTP server on 127.0.0.1 that answers with
 * Meridian's own {@link ReadServer} over a head, or misbehaves on purpose.
 */
class ReadClientTest {
  @TempDir Path dir;

  private final Head head = new Head(HeadOptions.defaults(), Journal.NONE);
  private final List<HttpExchange> requests = new CopyOnWriteArrayList<>();
  private final List<ReadServer.Request> decoded = new CopyOnWriteArrayList<>();
  private final CountDownLatch release = new CountDownLatch(1);
  private HttpServer server;
  private volatile Handler handler;
  private final List<AutoCloseable> closing = new ArrayList<>();

  @FunctionalInterface
  interface Handler {
    void handle(HttpExchange ex, ReadServer.Request req) throws Exception;
  }

  @BeforeEach
  void start() throws Exception {
    Appender app = head.appender();
    for (long t = 0; t <= 10_000; t += 1000) {
      app.append(Labels.of("__name__", "up", "job", "a", "site", "x"), t, t / 1000.0);
      app.append(Labels.of("__name__", "up", "job", "b", "site", "y"), t, 1);
    }
    app.commit();
    handler = this::answer;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        ex -> {
          try {
            requests.add(ex);
            byte[] body = ex.getRequestBody().readAllBytes();
            ReadServer.Request req = ReadServer.decode(body, body.length);
            decoded.add(req);
            handler.handle(ex, req);
          } catch (Exception e) {
            // a handler that gave up (the client went away): nothing to answer
          } finally {
            ex.close();
          }
        });
    server.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
    server.start();
  }

  @AfterEach
  void stop() throws Exception {
    release.countDown();
    for (AutoCloseable c : closing) {
      c.close();
    }
    server.stop(0);
  }

  /** Answers as Meridian's /api/v1/read does: streamed when asked first, else samples. */
  private void answer(HttpExchange ex, ReadServer.Request req) throws Exception {
    if (req.responseType() == ReadServer.ResponseType.STREAMED_XOR_CHUNKS) {
      ex.getResponseHeaders().set("Content-Type", ReadServer.STREAMED_CONTENT_TYPE);
      ex.sendResponseHeaders(200, 0);
      try (OutputStream out = ex.getResponseBody()) {
        ReadServer.streamChunks(req, head, Labels.EMPTY, out, 1 << 20);
      }
    } else {
      samplesAnswer(ex, req);
    }
  }

  private void samplesAnswer(HttpExchange ex, ReadServer.Request req) throws Exception {
    byte[] b = ReadServer.samples(req, head, Labels.EMPTY, 1_000_000);
    ex.getResponseHeaders().set("Content-Type", "application/x-protobuf");
    ex.getResponseHeaders().set("Content-Encoding", "snappy");
    ex.sendResponseHeaders(200, b.length);
    ex.getResponseBody().write(b);
  }

  private static void text(HttpExchange ex, int status, String body) throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "text/plain");
    ex.sendResponseHeaders(status, b.length);
    ex.getResponseBody().write(b);
  }

  private RemoteReadConfig config(
      String name,
      Duration timeout,
      boolean readRecent,
      Labels required,
      boolean filterExternal,
      HttpClientConfig http) {
    return new RemoteReadConfig(
        URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/api/v1/read"),
        name,
        timeout,
        Map.of("X-Scope-OrgID", "team-a"),
        readRecent,
        required,
        filterExternal,
        http);
  }

  private RemoteQueryable store(RemoteReadConfig cfg, Labels external, long localStart)
      throws IOException {
    return store(cfg, external, localStart, ReadClient.Limits.DEFAULT);
  }

  private RemoteQueryable store(
      RemoteReadConfig cfg, Labels external, long localStart, ReadClient.Limits limits)
      throws IOException {
    RemoteQueryable q = RemoteQueryable.of(cfg, limits, external, () -> localStart);
    closing.add(q);
    return q;
  }

  private RemoteQueryable plain() throws IOException {
    return store(
        config("", Duration.ofSeconds(10), true, Labels.EMPTY, true, HttpClientConfig.DEFAULT),
        Labels.EMPTY,
        0);
  }

  private static List<String> read(Querier q, long mint, long maxt, Matcher... ms) {
    SeriesSet set = q.select(true, SelectHints.range(mint, maxt), List.of(ms));
    List<String> out = new ArrayList<>();
    SampleIterator it = null;
    while (set.next()) {
      it = set.at().iterator(it);
      out.add(set.at().labels() + " " + ReadResponsesTest.samples(it));
    }
    return out;
  }

  @Test
  void sendsPrometheusRequestAndReadsStreamedChunks() throws Exception {
    Path secret = dir.resolve("token");
    Files.writeString(secret, "first\n");
    HttpClientConfig http =
        new HttpClientConfig(
            Optional.empty(),
            Optional.of(new HttpClientConfig.Authorization("Bearer", "", secret.toString())),
            HttpClientConfig.TlsConfig.NONE,
            true,
            false,
            "");
    RemoteQueryable store =
        store(config("", Duration.ofSeconds(10), true, Labels.EMPTY, true, http), Labels.EMPTY, 0);
    try (Querier q = store.querier(2000, 4000)) {
      assertThat(read(q, 2000, 4000, Matcher.equal("job", "a")))
          .containsExactly("{__name__=\"up\", job=\"a\", site=\"x\"} 2000=2.0 3000=3.0 4000=4.0");
    }
    HttpExchange ex = requests.getFirst();
    assertThat(ex.getRequestMethod()).isEqualTo("POST");
    assertThat(ex.getRequestURI().getPath()).isEqualTo("/api/v1/read");
    var h = ex.getRequestHeaders();
    assertThat(h.getFirst("Content-Encoding")).isEqualTo("snappy");
    assertThat(h.getFirst("Content-Type")).isEqualTo("application/x-protobuf");
    assertThat(h.getFirst("X-Prometheus-Remote-Read-Version")).isEqualTo("0.1.0");
    assertThat(h.getFirst("User-Agent")).startsWith("Meridian/");
    assertThat(h.getFirst("X-Scope-OrgID")).isEqualTo("team-a");
    assertThat(h.getFirst("Authorization")).isEqualTo("Bearer first");
    ReadServer.Request req = decoded.getFirst();
    assertThat(req.accepted())
        .containsExactly(
            ReadServer.ResponseType.STREAMED_XOR_CHUNKS, ReadServer.ResponseType.SAMPLES);
    assertThat(req.queries()).hasSize(1);
    assertThat(req.queries().getFirst().start()).isEqualTo(2000);
    assertThat(req.queries().getFirst().end()).isEqualTo(4000);
    assertThat(req.queries().getFirst().matchers()).hasToString("[job=\"a\"]");

    // The credentials file is read again for the next request.
    Files.writeString(secret, "second");
    try (Querier q = store.querier(0, 1000)) {
      assertThat(read(q, 0, 1000, Matcher.equal("job", "b"))).hasSize(1);
    }
    assertThat(requests.get(1).getRequestHeaders().getFirst("Authorization"))
        .isEqualTo("Bearer second");
  }

  @Test
  void readsSamplesAnswers() throws Exception {
    handler = this::samplesAnswer;
    try (Querier q = plain().querier(9000, 20_000)) {
      assertThat(read(q, 9000, 20_000, Matcher.regex("job", "a|b")))
          .containsExactly(
              "{__name__=\"up\", job=\"a\", site=\"x\"} 9000=9.0 10000=10.0",
              "{__name__=\"up\", job=\"b\", site=\"y\"} 9000=1.0 10000=1.0");
    }
  }

  @Test
  void externalLabelsAreSelectedByAndTakenOff() throws Exception {
    RemoteQueryable store =
        store(
            config("", Duration.ofSeconds(10), true, Labels.EMPTY, true, HttpClientConfig.DEFAULT),
            Labels.of("site", "x"),
            0);
    try (Querier q = store.querier(0, 1000)) {
      assertThat(read(q, 0, 1000, Matcher.equal("__name__", "up")))
          .containsExactly("{__name__=\"up\", job=\"a\"} 0=0.0 1000=1.0");
      // A selector naming the label itself is sent as is, and the label stays.
      assertThat(read(q, 0, 1000, Matcher.equal("site", "y")))
          .containsExactly("{__name__=\"up\", job=\"b\", site=\"y\"} 0=1.0 1000=1.0");
    }
    assertThat(decoded.getFirst().queries().getFirst().matchers())
        .hasToString("[__name__=\"up\", site=\"x\"]");
    assertThat(decoded.get(1).queries().getFirst().matchers()).hasToString("[site=\"y\"]");

    RemoteQueryable unfiltered =
        store(
            config("", Duration.ofSeconds(10), true, Labels.EMPTY, false, HttpClientConfig.DEFAULT),
            Labels.of("site", "x"),
            0);
    try (Querier q = unfiltered.querier(0, 0)) {
      assertThat(read(q, 0, 0, Matcher.equal("__name__", "up"))).hasSize(2);
    }
  }

  @Test
  void requiredMatchersAndReadRecentDecideWhatIsAsked() throws Exception {
    RemoteQueryable required =
        store(
            config(
                "",
                Duration.ofSeconds(10),
                true,
                Labels.of("job", "a"),
                true,
                HttpClientConfig.DEFAULT),
            Labels.EMPTY,
            0);
    try (Querier q = required.querier(0, 1000)) {
      assertThat(read(q, 0, 1000, Matcher.regex("job", "a"))).isEmpty();
      assertThat(read(q, 0, 1000, Matcher.equal("__name__", "up"))).isEmpty();
      assertThat(decoded).isEmpty(); // neither was sent
      assertThat(read(q, 0, 1000, Matcher.equal("job", "a"))).hasSize(1);
      assertThat(q.labelNames(LabelHints.NONE, List.of())).isEmpty(); // never asked
    }
    assertThat(decoded).hasSize(1);

    // read_recent: false, local storage complete from 5000: later ranges are not asked,
    // earlier ones only up to 5000.
    RemoteQueryable older =
        store(
            config("", Duration.ofSeconds(10), false, Labels.EMPTY, true, HttpClientConfig.DEFAULT),
            Labels.EMPTY,
            5000);
    try (Querier q = older.querier(6000, 9000)) {
      assertThat(read(q, 6000, 9000, Matcher.equal("job", "a"))).isEmpty();
    }
    assertThat(decoded).hasSize(1);
    try (Querier q = older.querier(3000, 9000)) {
      assertThat(read(q, 3000, 9000, Matcher.equal("job", "a")))
          .containsExactly("{__name__=\"up\", job=\"a\", site=\"x\"} 3000=3.0 4000=4.0 5000=5.0");
    }
    assertThat(decoded.get(1).queries().getFirst().end()).isEqualTo(5000);
  }

  @Test
  void refusalsNameTheRemoteAndTheFirstLineOfTheReason() throws Exception {
    handler = (ex, req) -> text(ex, 500, "storage on fire\nsecond line\n");
    RemoteQueryable named =
        store(
            config(
                "central",
                Duration.ofSeconds(10),
                true,
                Labels.EMPTY,
                true,
                HttpClientConfig.DEFAULT),
            Labels.EMPTY,
            0);
    String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/api/v1/read";
    assertThat(failure(named))
        .isEqualTo(
            "remote_read central: remote server "
                + url
                + " returned HTTP status 500: storage on fire");
    // A huge error body is not read past its start.
    handler = (ex, req) -> text(ex, 400, "bad matcher " + "x".repeat(1 << 20));
    assertThat(failure(plain()))
        .startsWith("remote_read: remote server " + url)
        .contains("returned HTTP status 400: bad matcher xxx")
        .hasSizeLessThan(1000);
    handler = (ex, req) -> text(ex, 200, "<html>");
    assertThat(failure(plain()))
        .isEqualTo("remote_read: unsupported content type \"text/plain\" from " + url);
  }

  @Test
  void oversizedAnswersAreRefused() throws Exception {
    handler = this::samplesAnswer;
    RemoteQueryable small =
        store(
            config("", Duration.ofSeconds(10), true, Labels.EMPTY, true, HttpClientConfig.DEFAULT),
            Labels.EMPTY,
            0,
            new ReadClient.Limits(64, 64));
    assertThat(failure(small)).contains("response body exceeds the limit of 64 bytes");
  }

  @Test
  void aRemoteThatNeverAnswersTimesOut() throws Exception {
    handler = (ex, req) -> release.await(30, TimeUnit.SECONDS);
    RemoteQueryable slow =
        store(
            config(
                "slow", Duration.ofMillis(300), true, Labels.EMPTY, true, HttpClientConfig.DEFAULT),
            Labels.EMPTY,
            0);
    try (Querier q = slow.querier(0, 1000)) {
      SeriesSet set =
          q.select(true, SelectHints.range(0, 1000), List.of(Matcher.equal("job", "a")));
      assertThatThrownBy(set::next)
          .isInstanceOf(UncheckedIOException.class)
          .hasCauseInstanceOf(RemoteReadException.class)
          .cause()
          .hasMessageContaining("remote_read slow: error sending request: Post \"http://127.0.0.1")
          .hasMessageEndingWith("timed out after 300ms (remote_timeout)");
    }
  }

  @Test
  void anEndpointNobodyListensOnFails() throws Exception {
    int port;
    try (var s = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    RemoteReadConfig cfg =
        new RemoteReadConfig(
            URI.create("http://127.0.0.1:" + port + "/api/v1/read"),
            "",
            Duration.ofSeconds(5),
            Map.of(),
            true,
            Labels.EMPTY,
            true,
            HttpClientConfig.DEFAULT);
    RemoteQueryable gone = store(cfg, Labels.EMPTY, 0);
    assertThat(failure(gone))
        .isEqualTo(
            "remote_read: error sending request: Post \"http://127.0.0.1:"
                + port
                + "/api/v1/read\": connection refused");
  }

  /** The reason a select of {@code job="a"} fails with. */
  private static String failure(RemoteQueryable store) {
    try (Querier q = store.querier(0, 10_000)) {
      SeriesSet set =
          q.select(true, SelectHints.range(0, 10_000), List.of(Matcher.equal("job", "a")));
      set.next();
      throw new AssertionError("no failure");
    } catch (UncheckedIOException e) {
      assertThat(e.getCause()).isInstanceOf(RemoteReadException.class);
      return e.getCause().getMessage();
    }
  }

  @Test
  void futureCompletesWithinTheTimeoutEvenWhenAbandoned() throws Exception {
    handler = (ex, req) -> release.await(30, TimeUnit.SECONDS);
    ReadClient client =
        ReadClient.of(
            config("", Duration.ofMillis(200), true, Labels.EMPTY, true, HttpClientConfig.DEFAULT),
            ReadClient.Limits.DEFAULT);
    closing.add(client);
    var f = client.read(0, 1, List.of(Matcher.equal("job", "a")), SelectHints.range(0, 1));
    assertThatThrownBy(() -> f.get(20, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(RemoteReadException.class);
  }

  @Test
  void fanoutMergesLocalWithRemotesAndMakesRemoteFailuresWarnings() throws Exception {
    Head local = new Head(HeadOptions.defaults(), Journal.NONE);
    Appender app = local.appender();
    app.append(Labels.of("__name__", "up", "job", "a", "site", "x"), 500, 42);
    app.append(Labels.of("__name__", "up", "job", "a", "site", "x"), 1000, 43); // local wins
    app.append(Labels.of("__name__", "up", "job", "local"), 1000, 7);
    app.commit();
    RemoteReadConfig down =
        config("down", Duration.ofSeconds(5), true, Labels.EMPTY, true, HttpClientConfig.DEFAULT);
    RemoteQueryable broken =
        store(
            new RemoteReadConfig(
                down.url().resolve("/down"),
                down.name(),
                down.remoteTimeout(),
                down.headers(),
                true,
                Labels.EMPTY,
                true,
                HttpClientConfig.DEFAULT),
            Labels.EMPTY,
            0);
    handler =
        (ex, req) -> {
          if (ex.getRequestURI().getPath().equals("/down")) {
            text(ex, 503, "overloaded");
          } else {
            answer(ex, req);
          }
        };
    Fanout fanout = new Fanout(local, List.of(plain(), broken));
    try (Querier q = fanout.querier(0, 1000)) {
      SeriesSet set =
          q.select(true, SelectHints.range(0, 1000), List.of(Matcher.equal("__name__", "up")));
      List<String> got = new ArrayList<>();
      while (set.next()) {
        got.add(set.at().labels() + " " + ReadResponsesTest.samples(set.at().iterator(null)));
      }
      assertThat(got)
          .containsExactly(
              "{__name__=\"up\", job=\"a\", site=\"x\"} 0=0.0 500=42.0 1000=43.0",
              "{__name__=\"up\", job=\"b\", site=\"y\"} 0=1.0 1000=1.0",
              "{__name__=\"up\", job=\"local\"} 1000=7.0");
      assertThat(set.warnings())
          .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
          .startsWith("remote_read down: remote server http://127.0.0.1:")
          .endsWith("returned HTTP status 503: overloaded");
      // Label queries are the local storage's alone, as in Prometheus 2.42.
      assertThat(q.labelValues("job", LabelHints.NONE, List.of())).containsExactly("a", "local");
    }
    // The chunk view (what /api/v1/read streams) merges the same way.
    try (var cq = fanout.chunkQuerier(0, 1000)) {
      var set = cq.select(true, SelectHints.range(0, 1000), List.of(Matcher.equal("job", "b")));
      assertThat(set.next()).isTrue();
      assertThat(set.at().labels().get("job")).isEqualTo("b");
      assertThat(set.next()).isFalse();
    }
    // Replaced sources are handed back for closing; queriers then read the local storage only.
    assertThat(fanout.replace(List.of())).hasSize(2);
    try (Querier q = fanout.querier(0, 1000)) {
      assertThat(read(q, 0, 1000, Matcher.equal("job", "b"))).isEmpty();
    }
  }
}
