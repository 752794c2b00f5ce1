package io.meridian.remote;

import io.meridian.config.RemoteWriteConfig;
import io.meridian.config.TlsContexts;
import io.meridian.util.BuildInfo;
import io.meridian.util.Clock;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.concurrent.Executors;

/**
 * Posts remote write bodies to one endpoint and sorts the answer the way Prometheus's sender does:
 * 2xx sent; 5xx, 429 (when {@code retry_on_http_429}) and failures to connect are retried; other
 * statuses are final rejections of the batch.
 */
final class WriteClient {
  private static final String USER_AGENT = "Meridian/" + BuildInfo.current().version();
  private static final int MAX_REASON = 512;

  /** What became of one request. */
  enum Kind {
    SENT,
    RETRY,
    REJECTED
  }

  /**
   * @param retryAfterMillis the server's {@code Retry-After}, or -1 when it gave none
   */
  record Result(Kind kind, int status, String reason, long retryAfterMillis) {
    static final Result SENT = new Result(Kind.SENT, 200, "", -1);
  }

  private final RemoteWriteConfig config;
  private final HttpClient http;
  private final String contentType;
  private final String version;

  private final Clock clock;

  WriteClient(RemoteWriteConfig config, Clock clock) throws IOException {
    this.config = config;
    this.clock = clock;
    HttpClient.Builder b =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(config.remoteTimeout())
            .executor(Executors.newVirtualThreadPerTaskExecutor())
            .followRedirects(
                config.httpClient().followRedirects()
                    ? HttpClient.Redirect.NORMAL
                    : HttpClient.Redirect.NEVER);
    if ("https".equalsIgnoreCase(config.url().getScheme())) {
      TlsContexts.Client tls = TlsContexts.client(config.httpClient().tls());
      b.sslContext(tls.context()).sslParameters(tls.parameters());
    }
    this.http = b.build();
    boolean v2 = RemoteWriteConfig.PROTOBUF_V2.equals(config.protobufMessage());
    this.contentType =
        v2
            ? "application/x-protobuf;proto=" + RemoteWriteConfig.PROTOBUF_V2
            : "application/x-protobuf";
    this.version = v2 ? "2.0.0" : "0.1.0";
  }

  URI url() {
    return config.url();
  }

  /** Sends one snappy-compressed body; never throws for what the network or the remote does. */
  Result send(byte[] body, int length) throws InterruptedException {
    HttpRequest.Builder req =
        HttpRequest.newBuilder(config.url())
            .timeout(config.remoteTimeout())
            .header("Content-Encoding", "snappy")
            .header("Content-Type", contentType)
            .header("User-Agent", USER_AGENT)
            .header("X-Prometheus-Remote-Write-Version", version);
    for (Map.Entry<String, String> h : config.headers().entrySet()) {
      req.header(h.getKey(), h.getValue());
    }
    try {
      config.httpClient().authorizationHeader().ifPresent(a -> req.header("Authorization", a));
    } catch (IOException e) {
      // A credentials file being rotated: try again later rather than send unauthenticated.
      return new Result(Kind.RETRY, 0, "reading credentials: " + e.getMessage(), -1);
    }
    req.POST(HttpRequest.BodyPublishers.ofByteArray(body, 0, length));
    HttpResponse<byte[]> resp;
    try {
      resp = http.send(req.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (HttpTimeoutException e) {
      return new Result(Kind.RETRY, 0, "timeout after " + config.remoteTimeout(), -1);
    } catch (IOException e) {
      return new Result(Kind.RETRY, 0, e.getMessage() == null ? e.toString() : e.getMessage(), -1);
    }
    int status = resp.statusCode();
    if (status / 100 == 2) {
      return Result.SENT;
    }
    String reason = status + " " + firstLine(resp.body());
    long after = retryAfter(resp.headers().firstValue("Retry-After").orElse(""), clock.millis());
    if (status / 100 == 5 || (status == 429 && config.queue().retryOnHttp429())) {
      return new Result(Kind.RETRY, status, reason, after);
    }
    return new Result(Kind.REJECTED, status, reason, -1);
  }

  /** {@code Retry-After} as seconds or an HTTP date, in milliseconds from now; -1 if absent. */
  static long retryAfter(String v, long nowMillis) {
    v = v.strip();
    if (v.isEmpty()) {
      return -1;
    }
    try {
      return Math.max(0, Long.parseLong(v)) * 1000;
    } catch (NumberFormatException e) {
      // not seconds: an HTTP date
    }
    try {
      ZonedDateTime at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
      return Math.max(0, at.toInstant().toEpochMilli() - nowMillis);
    } catch (DateTimeParseException e) {
      return -1;
    }
  }

  private static String firstLine(byte[] body) {
    String s = new String(body, 0, Math.min(body.length, MAX_REASON), StandardCharsets.UTF_8);
    int nl = s.indexOf('\n');
    return (nl >= 0 ? s.substring(0, nl) : s).strip();
  }

  void close() {
    http.close();
  }
}
