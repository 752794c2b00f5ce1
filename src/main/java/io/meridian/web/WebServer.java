package io.meridian.web;

import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The HTTP server: the API, health and readiness, on Jetty with a virtual thread per request
 * (handlers block on queries).
 */
public final class WebServer implements AutoCloseable {
  static {
    // Jetty sizes a padded array by how many references fill a cache line; unless told, it asks
    // the JMX platform server whether oops are compressed, and starting that server loads some 100
    // classes (JMX, JFR's commands) and registers every platform MBean, for one number.
    if (System.getProperty("org.eclipse.jetty.util.referencesPerCacheLine") == null) {
      System.setProperty("org.eclipse.jetty.util.referencesPerCacheLine", "16");
    }
  }

  private final Server server;
  private final ServerConnector connector;

  private WebServer(Server server, ServerConnector connector) {
    this.server = server;
    this.connector = connector;
  }

  /**
   * Starts serving on {@code listen} ({@code host:port}, as {@code --web.listen-address}; port 0
   * picks a free one).
   *
   * @throws IllegalArgumentException for an address that does not parse
   */
  public static WebServer start(String listen, ApiBackend backend) throws Exception {
    return start(listen, backend, "");
  }

  /**
   * Starts serving every path under {@code routePrefix} (the path of {@code --web.external-url}, as
   * Prometheus serves behind a reverse proxy that keeps the path): with {@code /prom}, queries go
   * to {@code /prom/api/v1/query}. "" or "/" serves from the root.
   */
  public static WebServer start(String listen, ApiBackend backend, String routePrefix)
      throws Exception {
    return start(listen, backend, routePrefix, RemoteWriteEndpoint.disabled());
  }

  /** As {@link #start(String, ApiBackend, String)}, with remote write served by {@code write}. */
  public static WebServer start(
      String listen, ApiBackend backend, String routePrefix, RemoteWriteEndpoint write)
      throws Exception {
    Handler.Sequence routes =
        new Handler.Sequence(
            // Remote write and read first: the API answers every other /api/v1/ path itself.
            write,
            new RemoteReadEndpoint(backend),
            new HttpApi(backend),
            new Federation(backend),
            new Health(backend));
    String prefix =
        routePrefix.endsWith("/")
            ? routePrefix.substring(0, routePrefix.length() - 1)
            : routePrefix;
    return start(listen, prefix.isEmpty() ? routes : new ContextHandler(routes, prefix));
  }

  /**
   * Starts a receiver's server: per-tenant routes from {@code tenants}, and health, readiness and
   * {@code /metrics} from {@code base}.
   */
  public static WebServer startTenanted(String listen, TenantRouter tenants, ApiBackend base)
      throws Exception {
    return start(listen, new Handler.Sequence(tenants, new Health(base)));
  }

  /**
   * Starts an agent's server, as Prometheus's agent mode serves: health, readiness, reload, {@code
   * /metrics}, the targets and status pages; every query endpoint answers 422 "unavailable".
   */
  public static WebServer startAgent(String listen, ApiBackend base) throws Exception {
    return start(listen, new Handler.Sequence(new AgentApi(), new HttpApi(base), new Health(base)));
  }

  private static WebServer start(String listen, Handler routes) throws Exception {
    InetSocketAddress addr = address(listen);
    QueuedThreadPool threads = new QueuedThreadPool();
    threads.setName("web");
    threads.setVirtualThreadsExecutor(Executors.newVirtualThreadPerTaskExecutor());
    Server server = new Server(threads);
    ServerConnector c = new ServerConnector(server);
    c.setHost(addr.getHostString());
    c.setPort(addr.getPort());
    server.addConnector(c);
    server.setHandler(routes);
    server.start();
    return new WebServer(server, c);
  }

  /**
   * {@code host:port}, {@code :port} (all interfaces, as Prometheus reads it) or {@code [v6]:port}.
   */
  static InetSocketAddress address(String listen) {
    int colon = listen.lastIndexOf(':');
    if (colon < 0) {
      throw new IllegalArgumentException("listen address " + listen + ": missing port");
    }
    String host = listen.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port;
    try {
      port = Integer.parseInt(listen.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("listen address " + listen + ": bad port");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("listen address " + listen + ": bad port");
    }
    return host.isEmpty() ? new InetSocketAddress(port) : new InetSocketAddress(host, port);
  }

  /** The port actually bound. */
  public int port() {
    return connector.getLocalPort();
  }

  @Override
  public void close() {
    try {
      server.stop();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      throw new IllegalStateException("stopping the web server: " + e, e);
    }
  }

  /** {@code /-/healthy}, {@code /-/ready} (with Prometheus's bodies) and {@code /metrics}. */
  private static final class Health extends Handler.Abstract {
    private final ApiBackend backend;

    Health(ApiBackend backend) {
      this.backend = backend;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
      String path = Request.getPathInContext(request);
      String body;
      int status = 200;
      switch (path) {
        case "/-/healthy" -> body = "Prometheus Server is Healthy.\n";
        case "/-/reload" -> {
          return reload(request, response, callback);
        }
        case "/metrics" -> {
          return metrics(response, callback);
        }
        case "/-/ready" -> {
          if (backend.ready().getAsBoolean()) {
            body = "Prometheus Server is Ready.\n";
          } else {
            status = 503;
            body = "Service Unavailable";
          }
        }
        default -> {
          return false;
        }
      }
      response.setStatus(status);
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
      response.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
      return true;
    }

    /** {@code POST|PUT /-/reload}: 403 unless enabled, 500 with the reason when refused. */
    private boolean reload(Request request, Response response, Callback callback) {
      String method = request.getMethod();
      int status;
      String body;
      if (!method.equals("POST") && !method.equals("PUT")) {
        status = 405;
        body = "Only POST or PUT requests allowed";
      } else if (backend.reload() == null) {
        status = 403;
        body = "Lifecycle API is not enabled.";
      } else {
        try {
          backend.reload().run();
          status = 200;
          body = "";
        } catch (Exception e) {
          status = 500;
          body = "failed to reload config: " + e.getMessage();
        }
      }
      response.setStatus(status);
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
      response.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
      return true;
    }

    private boolean metrics(Response response, Callback callback) {
      java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(8192);
      PrometheusTextFormatWriter w = PrometheusTextFormatWriter.create();
      try {
        w.write(out, backend.registry().scrape(), EscapingScheme.UNDERSCORE_ESCAPING);
      } catch (java.io.IOException e) {
        callback.failed(e);
        return true;
      }
      response.setStatus(200);
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, w.getContentType());
      response.write(true, ByteBuffer.wrap(out.toByteArray()), callback);
      return true;
    }
  }
}
