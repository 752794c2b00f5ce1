package io.meridian.scrape;

import io.meridian.config.HttpClientConfig;
import io.meridian.config.TlsContexts;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The HTTP client of one job's scrapes, made at the first scrape. With TLS files in {@code
 * tls_config}, it is made again when one of them changes (certificates renewed in place), as
 * Prometheus reads them again; while a file cannot be used, every scrape fails with the reason,
 * naming the file, and the next one tries again. Thread-safe.
 */
final class ScrapeClient implements AutoCloseable {
  private final HttpClientConfig http;
  private final List<Path> files;
  private HttpClient client;

  /** What the TLS files looked like when {@link #client} was made: path, size, modified time. */
  private List<Object> made = List.of();

  private ScrapeClient(HttpClientConfig http, HttpClient client) {
    this.http = http;
    this.files = http == null ? List.of() : TlsContexts.files(http.tls());
    this.client = client;
  }

  /** A client for {@code http}'s settings. */
  static ScrapeClient of(HttpClientConfig http) {
    return new ScrapeClient(http, null);
  }

  /** Always {@code client}, for tests. */
  static ScrapeClient fixed(HttpClient client) {
    return new ScrapeClient(null, client);
  }

  /**
   * The client to scrape with now.
   *
   * @throws IOException when the TLS files cannot be used, saying which and why
   */
  synchronized HttpClient get() throws IOException {
    if (http == null) {
      return client;
    }
    List<Object> now = stamp();
    if (client == null || !now.equals(made)) {
      HttpClient next = build(http);
      if (client != null) {
        client.shutdown();
      }
      client = next;
      made = now;
    }
    return client;
  }

  @Override
  public synchronized void close() {
    if (client != null && http != null) {
      client.close();
    }
  }

  private List<Object> stamp() {
    List<Object> out = new ArrayList<>();
    for (Path f : files) {
      out.add(f);
      try {
        out.add(Files.size(f));
        out.add(Files.getLastModifiedTime(f));
      } catch (IOException e) {
        out.add(e.getClass());
      }
    }
    return out;
  }

  private static HttpClient build(HttpClientConfig http) throws IOException {
    HttpClient.Builder b =
        HttpClient.newBuilder()
            .followRedirects(
                http.followRedirects() ? HttpClient.Redirect.NORMAL : HttpClient.Redirect.NEVER)
            .version(HttpClient.Version.HTTP_1_1);
    // Also without tls_config: the server's certificate is then checked against the system's CAs
    // the same way, with the same messages.
    TlsContexts.Client tls = TlsContexts.client(http.tls());
    return b.sslContext(tls.context()).sslParameters(tls.parameters()).build();
  }
}
