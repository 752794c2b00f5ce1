package io.meridian.remote;

import io.meridian.config.HttpClientConfig;
import io.meridian.config.RemoteReadConfig;
import io.meridian.config.TlsContexts;
import io.meridian.model.Matcher;
import io.meridian.storage.SelectHints;
import io.meridian.util.BuildInfo;
import io.meridian.util.GoFormat;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Sends remote read requests to one {@code remote_read} endpoint, as Prometheus's client does: a
 * snappy {@code ReadRequest} of one query, accepting {@code STREAMED_XOR_CHUNKS} first and {@code
 * SAMPLES} after, with the config's headers, credentials (files read per request) and TLS, over the
 * JDK's HTTP/1.1 client. The whole exchange, body included, ends within {@code remote_timeout}; the
 * body is read up to a limit. Every failure is a {@link RemoteReadException} naming the remote.
 * Thread-safe.
 */
public final class ReadClient implements AutoCloseable {
  /** The most bytes of an error body read for its first line. */
  private static final int MAX_ERROR_BODY = 64 << 10;

  private static final String VERSION_HEADER = "X-Prometheus-Remote-Read-Version";

  /**
   * How much of an answer is read.
   *
   * @param maxResponseBytes the body as sent, and a {@code SAMPLES} body once inflated
   * @param maxFrameBytes one frame of a streamed answer (Prometheus's client allows 50 MB)
   */
  public record Limits(int maxResponseBytes, int maxFrameBytes) {
    public static final Limits DEFAULT = new Limits(512 << 20, 50_000_000);

    public Limits {
      if (maxResponseBytes <= 0 || maxFrameBytes <= 0) {
        throw new IllegalArgumentException("remote read limits must be positive");
      }
    }
  }

  private final URI url;
  private final String prefix;
  private final Duration timeout;
  private final Map<String, String> headers;
  private final HttpClientConfig httpConfig;
  private final Limits limits;
  private final HttpClient http;
  private final String userAgent = "Meridian/" + BuildInfo.current().version();

  private ReadClient(RemoteReadConfig cfg, Limits limits, HttpClient http) {
    this.url = cfg.url();
    this.prefix = cfg.name().isEmpty() ? "remote_read: " : "remote_read " + cfg.name() + ": ";
    this.timeout = cfg.remoteTimeout();
    this.headers = cfg.headers();
    this.httpConfig = cfg.httpClient();
    this.limits = limits;
    this.http = http;
  }

  /**
   * A client for {@code cfg}.
   *
   * @throws IOException when its {@code tls_config} files cannot be used, naming them
   */
  public static ReadClient of(RemoteReadConfig cfg, Limits limits) throws IOException {
    HttpClientConfig h = cfg.httpClient();
    HttpClient.Builder b =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(cfg.remoteTimeout())
            .followRedirects(
                h.followRedirects() ? HttpClient.Redirect.NORMAL : HttpClient.Redirect.NEVER);
    if ("https".equalsIgnoreCase(cfg.url().getScheme())) {
      TlsContexts.Client tls = TlsContexts.client(h.tls());
      b.sslContext(tls.context()).sslParameters(tls.parameters());
    }
    return new ReadClient(cfg, limits, b.build());
  }

  /** The endpoint, for messages. */
  public URI url() {
    return url;
  }

  /**
   * Sends one query ({@code start} and {@code end} inclusive) and decodes the answer's series,
   * keeping samples inside the range. The future completes within the timeout, with the series
   * (labels as the remote sent them, unsorted) or a {@link RemoteReadException}; cancelling it
   * aborts the exchange.
   */
  CompletableFuture<List<RemoteSeries>> read(
      long start, long end, List<Matcher> matchers, SelectHints hints) {
    CompletableFuture<List<RemoteSeries>> out = new CompletableFuture<>();
    HttpRequest req;
    try {
      req = request(ReadRequests.encode(start, end, matchers, hints));
    } catch (IOException e) {
      out.completeExceptionally(new RemoteReadException(prefix + e.getMessage(), e));
      return out;
    }
    CompletableFuture<HttpResponse<byte[]>> exchange = http.sendAsync(req, this::bodyHandler);
    var _ =
        exchange.whenComplete((resp, err) -> {
          try {
            if (err != null) {
              out.completeExceptionally(sendFailure(err));
            } else {
              out.complete(decode(resp, start, end));
            }
          } catch (RemoteReadException e) {
            out.completeExceptionally(e);
          } catch (RuntimeException e) {
            out.completeExceptionally(
                new RemoteReadException(prefix + "error reading response: " + e, e));
          }
        });
    CompletableFuture.delayedExecutor(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .execute(() -> out.completeExceptionally(sendFailure(new HttpTimeoutException("timeout"))));
    // A timed-out or abandoned read stops its exchange.
    var _ = out.whenComplete((v, e) -> exchange.cancel(true));
    return out;
  }

  private HttpRequest request(byte[] body) throws IOException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(url)
            .timeout(timeout)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .header("Content-Encoding", "snappy")
            .header("Accept-Encoding", "snappy")
            .header("Content-Type", "application/x-protobuf")
            .header("User-Agent", userAgent)
            .header(VERSION_HEADER, "0.1.0");
    headers.forEach(b::setHeader);
    var auth = httpConfig.authorizationHeader();
    if (auth.isPresent()) {
      b.setHeader("Authorization", auth.get());
    }
    return b.build();
  }

  /** Success bodies up to the response limit; error bodies only far enough for a message. */
  private HttpResponse.BodySubscriber<byte[]> bodyHandler(HttpResponse.ResponseInfo info) {
    if (info.statusCode() / 100 != 2) {
      return new ErrorBody(MAX_ERROR_BODY);
    }
    return HttpResponse.BodySubscribers.limiting(
        HttpResponse.BodySubscribers.ofByteArray(), limits.maxResponseBytes());
  }

  private List<RemoteSeries> decode(HttpResponse<byte[]> resp, long start, long end)
      throws RemoteReadException {
    byte[] body = resp.body();
    if (resp.statusCode() / 100 != 2) {
      throw new RemoteReadException(
          prefix
              + "remote server "
              + url
              + " returned HTTP status "
              + resp.statusCode()
              + ": "
              + firstLine(body));
    }
    String type = resp.headers().firstValue("Content-Type").orElse("");
    try {
      return switch (ReadRequests.responseType(type)) {
        case SAMPLES ->
            ReadResponses.samples(body, body.length, limits.maxResponseBytes(), start, end);
        case STREAMED_XOR_CHUNKS ->
            ReadResponses.streamed(body, body.length, limits.maxFrameBytes(), start, end);
      };
    } catch (ProtoException e) {
      throw new RemoteReadException(
          prefix + "error decoding response from " + url + ": " + e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      throw new RemoteReadException(prefix + e.getMessage() + " from " + url, e);
    }
  }

  private RemoteReadException sendFailure(Throwable err) {
    return new RemoteReadException(
        prefix + "error sending request: Post \"" + url + "\": " + reason(err), err);
  }

  /** What went wrong, found along the cause chain (the JDK client wraps its exceptions). */
  private String reason(Throwable err) {
    Throwable last = err;
    for (Throwable e = err; e != null; e = e.getCause()) {
      String m = e.getMessage();
      if (e instanceof CancellationException) {
        return "cancelled";
      } else if (e instanceof HttpTimeoutException) {
        return "timed out after " + GoFormat.duration(timeout.toMillis()) + " (remote_timeout)";
      } else if (e instanceof java.net.ConnectException) {
        return "connection refused";
      } else if (m != null && m.contains("body exceeds capacity")) {
        return "response body exceeds the limit of " + limits.maxResponseBytes() + " bytes";
      }
      last = e;
    }
    return last.getMessage() == null ? last.getClass().getName() : last.getMessage();
  }

  /** The first line of an error body, as the reason the remote gives. */
  private static String firstLine(byte[] body) {
    String s = new String(body, StandardCharsets.UTF_8);
    int nl = s.indexOf('\n');
    s = (nl >= 0 ? s.substring(0, nl) : s).strip();
    return s.length() > 512 ? s.substring(0, 512) + "..." : s;
  }

  /** Lets reads in flight finish and refuses new ones; the client's threads then end. */
  @Override
  public void close() {
    http.shutdown();
  }
}
