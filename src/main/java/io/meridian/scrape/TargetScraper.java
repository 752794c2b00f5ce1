package io.meridian.scrape;

import io.meridian.config.HttpClientConfig;
import io.meridian.config.ScrapeConfig;
import io.meridian.util.BuildInfo;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
  private final URI url;
  private final HttpClientConfig http;
  private final Duration timeout;
  private final long bodySizeLimit;

  /** The request head without authorization (added per scrape: credential files may change). */
  private final String head;

  /** The kept connection to the target's own URL; redirects get one of their own per scrape. */
  private volatile ScrapeConnection connection;

  private volatile ScrapeConnection inFlight;
  private volatile boolean cancelled;

  TargetScraper(ScrapeClient client, Target target, ScrapeConfig cfg) {
    this.client = client;
    this.url = target.url();
    this.http = cfg.httpClient();
    this.timeout = target.timeout();
    this.bodySizeLimit = cfg.limits().bodySizeLimit();
    this.head =
        "Accept: "
            + acceptHeader(cfg.scrapeProtocols())
            + "\r\nAccept-Encoding: "
            + (cfg.enableCompression() ? "gzip" : "identity")
            + "\r\nUser-Agent: Meridian/"
            + BuildInfo.current().version()
            + "\r\nX-Prometheus-Scrape-Timeout-Seconds: "
            + seconds(timeout)
            + "\r\n";
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
    cancelled = false;
    long deadline = client.clock().nanos() + timeout.toNanos();
    URI u = url;
    for (int hop = 0; ; hop++) {
      ScrapeConnection c = hop == 0 ? own() : new ScrapeConnection(u, client.tls(u));
      inFlight = c;
      ScrapeConnection.Response r;
      try {
        r = c.exchange(request(u), deadline, bodySizeLimit, client.clock()::nanos);
      } catch (IOException e) {
        throw failure(u, e);
      } finally {
        inFlight = null;
        if (c != connection) {
          c.close();
        }
      }
      if (isRedirect(r.status()) && http.followRedirects() && !r.location().isEmpty()) {
        if (hop >= 9) {
          throw new IOException("Get \"" + url + "\": stopped after 10 redirects");
        }
        u = u.resolve(r.location());
        continue;
      }
      if (r.status() != 200) {
        BodyBuffers.SHARED.give(r.body());
        throw new IOException("server returned HTTP status " + status(r.status()));
      }
      if (r.contentEncoding().trim().equalsIgnoreCase("gzip")) {
        Gunzip.Inflated body = Gunzip.SYSTEM.inflate(r.body(), r.length(), bodySizeLimit);
        return new Fetched(body.bytes(), body.length(), r.contentType());
      }
      if (bodySizeLimit > 0 && r.length() > bodySizeLimit) {
        BodyBuffers.SHARED.give(r.body());
        throw tooLarge(bodySizeLimit);
      }
      return new Fetched(r.body(), r.length(), r.contentType());
    }
  }

  @Override
  public void release(Fetched body) {
    BodyBuffers.SHARED.give(body.body());
  }

  private ScrapeConnection own() throws IOException {
    if (connection == null || client.tlsChanged()) {
      if (connection != null) {
        connection.close();
      }
      connection = new ScrapeConnection(url, client.tls(url));
    }
    return connection;
  }

  private static boolean isRedirect(int status) {
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
  }

  private byte[] request(URI u) throws IOException {
    String path = u.getRawPath() == null || u.getRawPath().isEmpty() ? "/" : u.getRawPath();
    if (u.getRawQuery() != null) {
      path += "?" + u.getRawQuery();
    }
    String host = u.getPort() >= 0 ? u.getHost() + ":" + u.getPort() : u.getHost();
    StringBuilder b = new StringBuilder(256 + head.length());
    b.append("GET ").append(path).append(" HTTP/1.1\r\nHost: ").append(host).append("\r\n");
    b.append(head);
    var auth = http.authorizationHeader();
    if (auth.isPresent()) {
      b.append("Authorization: ").append(auth.get()).append("\r\n");
    }
    return b.append("\r\n").toString().getBytes(StandardCharsets.UTF_8);
  }

  /** What a failed exchange says, in Prometheus's words where they map. */
  private IOException failure(URI u, IOException e) {
    if (cancelled) {
      return new IOException("scrape cancelled", e);
    }
    if (e instanceof java.net.SocketTimeoutException) {
      return timedOut(e);
    }
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SSLException ssl) {
        return tlsFailed(ssl);
      }
    }
    if (e.getMessage() != null && e.getMessage().startsWith("body size limit exceeded")) {
      return e;
    }
    String where =
        u.getHost()
            + ":"
            + (u.getPort() >= 0 ? u.getPort() : u.getScheme().equals("https") ? 443 : 80);
    if (e instanceof java.net.ConnectException) {
      return new IOException(
          "Get \"" + u + "\": dial tcp " + where + ": connect: connection refused", e);
    }
    if (e instanceof java.net.UnknownHostException) {
      return new IOException(
          "Get \"" + u + "\": dial tcp: lookup " + u.getHost() + ": no such host", e);
    }
    return new IOException("Get \"" + u + "\": " + e.getMessage(), e);
  }

  /** Aborts a scrape in progress and closes the kept connection (the loop is stopping). */
  @Override
  public void cancel() {
    cancelled = true;
    ScrapeConnection c = inFlight;
    if (c != null) {
      c.cancel();
    }
    close();
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

  /** Closes the kept connection; the next scrape opens another. */
  void close() {
    ScrapeConnection c = connection;
    if (c != null) {
      c.close();
    }
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
}
