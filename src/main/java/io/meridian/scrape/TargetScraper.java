package io.meridian.scrape;

import io.meridian.config.HttpClientConfig;
import io.meridian.config.ScrapeConfig;
import io.meridian.util.BuildInfo;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.zip.GZIPInputStream;
import javax.net.ssl.SSLException;

/**
 * Fetches one target over HTTP as Prometheus does: a GET with Prometheus's {@code Accept} header
 * built from {@code scrape_protocols}, {@code Accept-Encoding: gzip} (unless compression is off),
 * {@code X-Prometheus-Scrape-Timeout-Seconds}, basic auth or an {@code Authorization} header from
 * the config, the scrape timeout over the whole exchange, and {@code body_size_limit} on the
 * uncompressed body. A status other than 200 fails the scrape. For {@code https} targets, {@code
 * tls_config} applies (see {@link io.meridian.config.TlsContexts}); a TLS file that cannot be used
 * fails the scrape with the reason.
 *
 * <p>{@code proxy_url} is not applied yet: scrapes go direct.
 */
public final class TargetScraper implements Fetcher {

  /** The {@code Accept} value of each scrape protocol this scraper can read. */
  private static final Map<String, String> PROTOCOL_HEADERS =
      Map.of(
          "OpenMetricsText1.0.0", "application/openmetrics-text;version=1.0.0;escaping=allow-utf-8",
          "OpenMetricsText0.0.1", "application/openmetrics-text;version=0.0.1",
          "PrometheusText1.0.0", "text/plain;version=1.0.0;escaping=allow-utf-8",
          "PrometheusText0.0.4", "text/plain;version=0.0.4");

  /** Prometheus weighs protocols from q=0.(known protocols + 1) down. */
  private static final int TOP_WEIGHT = 6;

  private final ScrapeClient client;
  private final HttpRequest.Builder request;
  private final HttpClientConfig http;
  private final Duration timeout;
  private final long bodySizeLimit;
  private volatile CompletableFuture<HttpResponse<byte[]>> inFlight;

  /** Scrapes {@code target} with {@code client} as it is, for tests. */
  public TargetScraper(HttpClient client, Target target, ScrapeConfig cfg) {
    this(ScrapeClient.fixed(client), target, cfg);
  }

  TargetScraper(ScrapeClient client, Target target, ScrapeConfig cfg) {
    this.client = client;
    this.http = cfg.httpClient();
    this.timeout = target.timeout();
    this.bodySizeLimit = cfg.limits().bodySizeLimit();
    this.request =
        HttpRequest.newBuilder(target.url())
            .GET()
            .timeout(timeout)
            .header("Accept", acceptHeader(cfg.scrapeProtocols()))
            .header("Accept-Encoding", cfg.enableCompression() ? "gzip" : "identity")
            .header("User-Agent", "Meridian/" + BuildInfo.current().version())
            .header("X-Prometheus-Scrape-Timeout-Seconds", seconds(timeout));
  }

  /**
   * Prometheus's {@code Accept} header for {@code protocols}, most wanted first, each weighted one
   * tenth lower than the one before, ending with any type at the lowest weight. Protocols this
   * scraper cannot read (protobuf) are left out.
   */
  public static String acceptHeader(List<String> protocols) {
    List<String> parts = new ArrayList<>();
    int weight = TOP_WEIGHT;
    for (String p : protocols) {
      String h = PROTOCOL_HEADERS.get(p);
      if (h != null) {
        parts.add(h + ";q=0." + weight);
        weight--;
      }
    }
    parts.add("*/*;q=0." + weight);
    return String.join(",", parts);
  }

  @Override
  public Fetched fetch() throws IOException {
    HttpRequest.Builder b = request.copy();
    authorize(b);
    CompletableFuture<HttpResponse<byte[]>> f =
        client.get().sendAsync(b.build(), info -> new LimitedBody(bodySizeLimit));
    inFlight = f;
    HttpResponse<byte[]> response;
    try {
      response = f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      f.cancel(true);
      throw timedOut(e);
    } catch (InterruptedException e) {
      f.cancel(true);
      Thread.currentThread().interrupt();
      throw new IOException("scrape interrupted", e);
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof java.net.http.HttpTimeoutException) {
        throw timedOut(c);
      }
      for (Throwable t = c; t != null; t = t.getCause()) {
        if (t instanceof SSLException ssl) {
          throw tlsFailed(ssl);
        }
      }
      throw c instanceof IOException io
          ? io
          : new IOException(c == null ? "scrape failed" : String.valueOf(c.getMessage()), c);
    } catch (java.util.concurrent.CancellationException e) {
      throw new IOException("scrape cancelled", e);
    } finally {
      inFlight = null;
    }
    if (response.statusCode() != 200) {
      throw new IOException("server returned HTTP status " + status(response.statusCode()));
    }
    String type = response.headers().firstValue("Content-Type").orElse("");
    byte[] body = response.body();
    boolean gzip =
        response
            .headers()
            .firstValue("Content-Encoding")
            .map(v -> v.trim().toLowerCase(Locale.ROOT).equals("gzip"))
            .orElse(false);
    if (gzip) {
      body = gunzip(body);
    }
    return new Fetched(body, body.length, type);
  }

  @Override
  public void cancel() {
    CompletableFuture<HttpResponse<byte[]>> f = inFlight;
    if (f != null) {
      f.cancel(true);
    }
  }

  private byte[] gunzip(byte[] compressed) throws IOException {
    try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(compressed))) {
      ByteArrayOutputStream out = new ByteArrayOutputStream(compressed.length * 4);
      byte[] buf = new byte[8192];
      for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
        out.write(buf, 0, n);
        if (bodySizeLimit > 0 && out.size() > bodySizeLimit) {
          throw tooLarge(bodySizeLimit);
        }
      }
      return out.toByteArray();
    }
  }

  private void authorize(HttpRequest.Builder b) throws IOException {
    if (http.basicAuth().isPresent()) {
      HttpClientConfig.BasicAuth a = http.basicAuth().get();
      String user = a.usernameFile().isEmpty() ? a.username() : read(a.usernameFile());
      String pass = a.passwordFile().isEmpty() ? a.password() : read(a.passwordFile());
      String token = user + ":" + pass;
      b.header(
          "Authorization",
          "Basic " + Base64.getEncoder().encodeToString(token.getBytes(StandardCharsets.UTF_8)));
    } else if (http.authorization().isPresent()) {
      HttpClientConfig.Authorization a = http.authorization().get();
      String credentials =
          a.credentialsFile().isEmpty() ? a.credentials() : read(a.credentialsFile());
      b.header("Authorization", a.type() + " " + credentials);
    }
  }

  private static String read(String file) throws IOException {
    return Files.readString(Path.of(file), StandardCharsets.UTF_8).strip();
  }

  private static String status(int code) {
    return switch (code) {
      case 401 -> "401 Unauthorized";
      case 403 -> "403 Forbidden";
      case 404 -> "404 Not Found";
      case 500 -> "500 Internal Server Error";
      case 503 -> "503 Service Unavailable";
      default -> Integer.toString(code);
    };
  }

  /** Seconds as Prometheus prints them for the timeout header: {@code 10}, {@code 0.5}. */
  static String seconds(Duration d) {
    long ms = d.toMillis();
    if (ms % 1000 == 0) {
      return Long.toString(ms / 1000);
    }
    return java.math.BigDecimal.valueOf(ms, 3).stripTrailingZeros().toPlainString();
  }

  private IOException timedOut(Throwable cause) {
    return new IOException("context deadline exceeded (timeout " + seconds(timeout) + "s)", cause);
  }

  /**
   * A TLS failure in Prometheus's words where they map: {@code tls: failed to verify certificate:
   * x509: ...} for the server's certificate, {@code remote error: tls: ...} for the server's alert;
   * without the JDK's {@code (alert)} prefix.
   */
  static IOException tlsFailed(SSLException e) {
    String m = String.valueOf(e.getMessage());
    if (m.startsWith("(") && m.indexOf(") ") > 0) {
      m = m.substring(m.indexOf(") ") + 2);
    }
    String alert = "Received fatal alert: ";
    if (m.startsWith(alert)) {
      m = "remote error: tls: " + m.substring(alert.length()).replace('_', ' ');
    } else if (m.startsWith("x509: ")) {
      m = "tls: failed to verify certificate: " + m;
    } else {
      m = "tls: " + m;
    }
    return new IOException(m, e);
  }

  static IOException tooLarge(long limit) {
    return new IOException("body size limit exceeded (limit: " + limit + " bytes)");
  }

  /** Collects a body, failing as soon as it grows past the limit (0: none). */
  private static final class LimitedBody implements HttpResponse.BodySubscriber<byte[]> {
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final long limit;
    private Flow.Subscription subscription;

    LimitedBody(long limit) {
      this.limit = limit;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
      subscription = s;
      s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
      if (result.isDone()) {
        return;
      }
      for (ByteBuffer bb : items) {
        if (limit > 0 && out.size() + (long) bb.remaining() > limit) {
          subscription.cancel();
          result.completeExceptionally(tooLarge(limit));
          return;
        }
        byte[] chunk = new byte[bb.remaining()];
        bb.get(chunk);
        out.write(chunk, 0, chunk.length);
      }
    }

    @Override
    public void onError(Throwable t) {
      result.completeExceptionally(t);
    }

    @Override
    public void onComplete() {
      result.complete(out.toByteArray());
    }

    @Override
    public CompletionStage<byte[]> getBody() {
      return result;
    }
  }
}
