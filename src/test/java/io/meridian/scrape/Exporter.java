package io.meridian.scrape;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import javax.net.ssl.SSLSession;

/**
 * A metrics endpoint on 127.0.0.1 with a free port, serving whatever body the test sets, over HTTP
 * or HTTPS.
 */
final class Exporter implements AutoCloseable {
  private final HttpServer server;
  volatile String body = "";
  volatile String contentType = "text/plain; version=0.0.4; charset=utf-8";
  volatile int status = 200;
  volatile boolean gzip;

  /** When set, sent as is, as a gzip-encoded body (for malformed or unusual gzip streams). */
  volatile byte[] rawGzip;

  volatile Headers lastRequest;
  volatile String lastQuery;

  /** The TLS session of the last request over HTTPS. */
  volatile SSLSession lastSession;

  /** While set, requests wait for it (up to 10 s) before answering. */
  volatile CountDownLatch hold;

  Exporter() throws IOException {
    this(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0));
  }

  /** An HTTPS exporter; {@code https} sets its certificate and parameters. */
  Exporter(HttpsConfigurator https) throws IOException {
    this(https(https));
  }

  private static HttpsServer https(HttpsConfigurator https) throws IOException {
    HttpsServer s =
        HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    s.setHttpsConfigurator(https);
    return s;
  }

  private Exporter(HttpServer server) {
    this.server = server;
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext(
        "/",
        ex -> {
          lastRequest = ex.getRequestHeaders();
          if (ex instanceof HttpsExchange hx) {
            lastSession = hx.getSSLSession();
          }
          lastQuery = ex.getRequestURI().getRawQuery();
          CountDownLatch h = hold;
          if (h != null) {
            try {
              h.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
          byte[] b = body.getBytes(StandardCharsets.UTF_8);
          byte[] raw = rawGzip;
          if (raw != null) {
            b = raw;
            ex.getResponseHeaders().set("Content-Encoding", "gzip");
          } else if (gzip) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (GZIPOutputStream z = new GZIPOutputStream(out)) {
              z.write(b);
            }
            b = out.toByteArray();
            ex.getResponseHeaders().set("Content-Encoding", "gzip");
          }
          ex.getResponseHeaders().set("Content-Type", contentType);
          try {
            ex.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
            try (OutputStream os = ex.getResponseBody()) {
              os.write(b);
            }
          } catch (IOException e) {
            // The scraper gave up.
          }
        });
    server.start();
  }

  String address() {
    return "127.0.0.1:" + server.getAddress().getPort();
  }

  @Override
  public void close() {
    CountDownLatch h = hold;
    if (h != null) {
      h.countDown();
    }
    server.stop(0);
  }
}
