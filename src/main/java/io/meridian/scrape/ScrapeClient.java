package io.meridian.scrape;

import io.meridian.config.HttpClientConfig;
import io.meridian.config.TlsContexts;
import io.meridian.util.Clock;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLSocket;

/**
 * What one job's scrapes share: its clock and, for {@code https} targets, the TLS context of its
 * {@code tls_config}, made at the first such scrape and made again when one of its files changes
 * (certificates renewed in place), as Prometheus reads them again. While a file cannot be used,
 * every scrape fails with the reason, naming the file, and the next one tries again. Without {@code
 * tls_config} the server's certificate is checked against the system's CAs, with the same messages.
 * Thread-safe.
 */
final class ScrapeClient {
  private final HttpClientConfig http;
  private final Clock clock;
  private final List<Path> files;
  private TlsContexts.Client tls;

  /** What the TLS files looked like when {@link #tls} was made: path, size, modified time. */
  private List<Object> made = List.of();

  private ScrapeClient(HttpClientConfig http, Clock clock) {
    this.http = http;
    this.clock = clock;
    this.files = TlsContexts.files(http.tls());
  }

  /** A client for {@code http}'s settings, timing scrapes on {@code clock}. */
  static ScrapeClient of(HttpClientConfig http, Clock clock) {
    return new ScrapeClient(http, clock);
  }

  Clock clock() {
    return clock;
  }

  /**
   * How to wrap a connection to {@code url} in TLS, or null for plain {@code http}.
   *
   * @throws IOException when the TLS files cannot be used, saying which and why
   */
  ScrapeConnection.TlsLayer tls(URI url) throws IOException {
    if (!"https".equalsIgnoreCase(url.getScheme())) {
      return null;
    }
    TlsContexts.Client c = current();
    return (plain, host, port) -> {
      SSLSocket s =
          (SSLSocket) c.context().getSocketFactory().createSocket(plain, host, port, true);
      s.setSSLParameters(c.parameters());
      return s;
    };
  }

  /**
   * Whether the TLS context changed since a connection last asked (a kept connection made with the
   * old one is then made again). Always false without TLS files.
   */
  synchronized boolean tlsChanged() {
    if (files.isEmpty() || tls == null) {
      return false;
    }
    return !stamp().equals(made);
  }

  private synchronized TlsContexts.Client current() throws IOException {
    List<Object> now = stamp();
    if (tls == null || !now.equals(made)) {
      tls = TlsContexts.client(http.tls());
      made = now;
    }
    return tls;
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
}
