package io.meridian.scrape;

import io.meridian.config.HttpClientConfig;
import io.meridian.config.ScrapeConfig;
import io.meridian.util.BuildInfo;
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
import java.util.Arrays;
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
  private volatile CompletableFuture<HttpResponse<Body>> inFlight;

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
    CompletableFuture<HttpResponse<Body>> f =
        client.get().sendAsync(b.build(), info -> new LimitedBody(bodySizeLimit, info));
    inFlight = f;
    HttpResponse<Body> response;
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
    Body body = response.body();
    boolean gzip =
        response
            .headers()
            .firstValue("Content-Encoding")
            .map(v -> v.trim().toLowerCase(Locale.ROOT).equals("gzip"))
            .orElse(false);
    if (gzip) {
      body = gunzip(body);
    }
    return new Fetched(body.bytes(), body.length(), type);
  }

  @Override
  public void cancel() {
    CompletableFuture<HttpResponse<Body>> f = inFlight;
    if (f != null) {
      f.cancel(true);
    }
  }

  /**
   * Inflates a gzip body into one array sized by the gzip trailer's length field (checked, not
   * trusted: a wrong one only costs a resize), so a scrape copies its body once.
   */
  private Body gunzip(Body compressed) throws IOException {
    byte[] in = compressed.bytes();
    int n = compressed.length();
    long declared =
        n < 18
            ? 0
            : (in[n - 4] & 0xffL)
                | (in[n - 3] & 0xffL) << 8
                | (in[n - 2] & 0xffL) << 16
                | (in[n - 1] & 0xffL) << 24;
    long cap = bodySizeLimit > 0 ? Math.min(bodySizeLimit + 1, declared + 1) : declared + 1;
    byte[] out = new byte[Math.clamp(cap, 256, Integer.MAX_VALUE - 16)];
    int len = 0;
    try (InputStream z = new GZIPInputStream(new java.io.ByteArrayInputStream(in, 0, n), 8192)) {
      while (true) {
        if (len == out.length) {
          if (bodySizeLimit > 0 && len > bodySizeLimit) {
            throw tooLarge(bodySizeLimit);
          }
          out = Arrays.copyOf(out, (int) Math.min(Integer.MAX_VALUE - 16, (long) len * 2));
        }
        int r = z.read(out, len, out.length - len);
        if (r < 0) {
          break;
        }
        len += r;
        if (bodySizeLimit > 0 && len > bodySizeLimit) {
          throw tooLarge(bodySizeLimit);
        }
      }
    }
    return new Body(out, len);
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

  /** A body's bytes; only the first {@code length} count. */
  private static final class Body {
    private final byte[] bytes;
    private final int length;

    Body(byte[] bytes, int length) {
      this.bytes = bytes;
      this.length = length;
    }

    byte[] bytes() {
      return bytes;
    }

    int length() {
      return length;
    }
  }

  /**
   * Collects a body into one growing array (sized by {@code Content-Length} when sent), failing as
   * soon as it grows past the limit (0: none).
   */
  private static final class LimitedBody implements HttpResponse.BodySubscriber<Body> {
    private final CompletableFuture<Body> result = new CompletableFuture<>();
    private final long limit;
    private byte[] buf;
    private int len;
    private Flow.Subscription subscription;

    LimitedBody(long limit, HttpResponse.ResponseInfo info) {
      this.limit = limit;
      long declared = info.headers().firstValueAsLong("Content-Length").orElse(8192);
      if (limit > 0) {
        declared = Math.min(declared, limit);
      }
      buf = new byte[Math.clamp(declared, 256, 1 << 24)];
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
        int n = bb.remaining();
        if (limit > 0 && len + (long) n > limit) {
          subscription.cancel();
          result.completeExceptionally(tooLarge(limit));
          return;
        }
        if (len + n > buf.length) {
          buf =
              Arrays.copyOf(
                  buf,
                  (int)
                      Math.min(
                          Integer.MAX_VALUE - 16, Math.max((long) buf.length * 2, (long) len + n)));
        }
        bb.get(buf, len, n);
        len += n;
      }
    }

    @Override
    public void onError(Throwable t) {
      result.completeExceptionally(t);
    }

    @Override
    public void onComplete() {
      result.complete(new Body(buf, len));
    }

    @Override
    public CompletionStage<Body> getBody() {
      return result;
    }
  }
}
