package io.meridian.web;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * What an agent's API refuses: it stores nothing queryable, so every {@code /api/v1/} endpoint but
 * the targets and status pages answers 422 with Prometheus's agent-mode error, and {@code
 * /federate} 404.
 */
final class AgentApi extends Handler.Abstract {
  private static final Set<String> SERVED =
      Set.of(
          "/api/v1/targets",
          "/api/v1/status/buildinfo",
          "/api/v1/status/flags",
          "/api/v1/status/config",
          "/api/v1/status/runtimeinfo");
  private static final byte[] UNAVAILABLE =
      "{\"status\":\"error\",\"errorType\":\"unavailable\",\"error\":\"unavailable with Meridian agent\"}"
          .getBytes(StandardCharsets.UTF_8);

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    String path = Request.getPathInContext(request);
    if (path.equals("/federate")) {
      Response.writeError(request, response, callback, 404);
      return true;
    }
    if (!path.startsWith("/api/v1/") || SERVED.contains(path)) {
      return false;
    }
    response.setStatus(422);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    response.write(true, ByteBuffer.wrap(UNAVAILABLE), callback);
    return true;
  }
}
