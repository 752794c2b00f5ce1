package io.meridian.demo;

import io.meridian.util.Clock;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.concurrent.Executors;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * Serves a {@link SimulatedCluster} over HTTP on loopback, as its exporters would: {@code
 * /node/N/metrics} is node N's node exporter, {@code /pods/N/metrics} the cAdvisor and
 * kube-state-metrics series of the pods on node N. Values are those at the time of the request.
 */
public final class WorkloadServer implements AutoCloseable {
  private static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final Server server;
  private final ServerConnector connector;
  private final SimulatedCluster cluster;

  private WorkloadServer(Server server, ServerConnector connector, SimulatedCluster cluster) {
    this.server = server;
    this.connector = connector;
    this.cluster = cluster;
  }

  /** Starts serving {@code cluster} on {@code 127.0.0.1:port} (0 picks a free port). */
  public static WorkloadServer start(SimulatedCluster cluster, int port, Clock clock)
      throws Exception {
    QueuedThreadPool threads = new QueuedThreadPool();
    threads.setName("workload-" + cluster.name());
    threads.setVirtualThreadsExecutor(Executors.newVirtualThreadPerTaskExecutor());
    Server server = new Server(threads);
    ServerConnector c = new ServerConnector(server);
    c.setHost("127.0.0.1");
    c.setPort(port);
    server.addConnector(c);
    server.setHandler(new Pages(cluster, clock));
    server.start();
    return new WorkloadServer(server, c, cluster);
  }

  public int port() {
    return connector.getLocalPort();
  }

  public SimulatedCluster cluster() {
    return cluster;
  }

  @Override
  public void close() {
    try {
      server.stop();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      throw new IllegalStateException("stopping workload server of " + cluster.name(), e);
    }
  }

  private static final class Pages extends Handler.Abstract {
    private final SimulatedCluster cluster;
    private final Clock clock;

    Pages(SimulatedCluster cluster, Clock clock) {
      this.cluster = cluster;
      this.clock = clock;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
      String[] parts = Request.getPathInContext(request).split("/", -1);
      // "", kind, node, "metrics"
      if (parts.length != 4 || !parts[3].equals("metrics")) {
        return false;
      }
      int node;
      try {
        node = Integer.parseInt(parts[2]);
      } catch (NumberFormatException e) {
        return false;
      }
      if (node < 0 || node >= cluster.options().nodes()) {
        return false;
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
      long t = clock.millis();
      switch (parts[1]) {
        case "node" -> cluster.writeNode(node, t, out);
        case "pods" -> cluster.writePods(node, t, out);
        default -> {
          return false;
        }
      }
      response.setStatus(200);
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, CONTENT_TYPE);
      response.write(true, ByteBuffer.wrap(out.toByteArray()), callback);
      return true;
    }
  }
}
