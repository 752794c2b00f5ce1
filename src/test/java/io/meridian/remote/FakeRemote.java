package io.meridian.remote;

import com.sun.net.httpserver.HttpServer;
import io.meridian.storage.ReferenceStorage;
import io.meridian.util.Clock;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A remote write endpoint for tests on 127.0.0.1: answers from a script of statuses (then {@code
 * fallback}), and stores what it answers 2xx for through the real {@link WriteReceiver} into a
 * {@link ReferenceStorage}.
 */
final class FakeRemote implements AutoCloseable {
  /** A scripted answer; {@code retryAfter} null for none. */
  record Answer(int status, String retryAfter) {}

  final ReferenceStorage store = new ReferenceStorage();
  final AtomicLong stored = new AtomicLong();
  final AtomicLong refused = new AtomicLong();
  final AtomicInteger requests = new AtomicInteger();
  final List<String> contentTypes = new CopyOnWriteArrayList<>();
  final List<String> authorizations = new CopyOnWriteArrayList<>();
  private final Deque<Answer> script = new ArrayDeque<>();
  private volatile int fallback = 204;
  private final WriteReceiver receiver = new WriteReceiver(Clock.system(), 64 << 20);
  private final HttpServer http;

  FakeRemote() throws IOException {
    http =
        HttpServer.create(new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
    http.createContext(
        "/api/v1/write",
        ex -> {
          requests.incrementAndGet();
          byte[] body;
          try (InputStream in = ex.getRequestBody()) {
            body = in.readAllBytes();
          }
          String ct = ex.getRequestHeaders().getFirst("Content-Type");
          contentTypes.add(ct);
          String auth = ex.getRequestHeaders().getFirst("Authorization");
          authorizations.add(auth == null ? "" : auth);
          Answer a = next();
          if (a.status() / 100 == 2) {
            WriteReceiver.Outcome o =
                receiver.receive(
                    body,
                    body.length,
                    ct,
                    ex.getRequestHeaders().getFirst("Content-Encoding"),
                    store);
            stored.addAndGet(o.samples());
            refused.addAndGet(o.rejected());
          }
          if (a.retryAfter() != null) {
            ex.getResponseHeaders().add("Retry-After", a.retryAfter());
          }
          byte[] msg =
              ("status " + a.status() + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
          if (a.status() == 204) {
            ex.sendResponseHeaders(204, -1);
          } else {
            ex.sendResponseHeaders(a.status(), msg.length);
            ex.getResponseBody().write(msg);
          }
          ex.close();
        });
    http.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
    http.start();
  }

  URI url() {
    return URI.create("http://127.0.0.1:" + http.getAddress().getPort() + "/api/v1/write");
  }

  synchronized void then(int status, String retryAfter) {
    script.add(new Answer(status, retryAfter));
  }

  /** The answer once the script is used up. */
  void always(int status) {
    fallback = status;
  }

  private synchronized Answer next() {
    Answer a = script.poll();
    return a != null ? a : new Answer(fallback, null);
  }

  @Override
  public void close() {
    http.stop(0);
  }
}
