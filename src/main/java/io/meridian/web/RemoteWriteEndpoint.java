package io.meridian.web;

import io.meridian.remote.WriteReceiver;
import io.meridian.storage.AppendableStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * {@code POST /api/v1/write} (and {@code /api/v1/receive}, the path Thanos Receive serves, which
 * the multi-cluster guide's senders use): remote write into the local store. Off unless {@code
 * --web.enable-remote-write-receiver}; then both paths answer 404 with the flag to set, as
 * Prometheus does.
 */
public final class RemoteWriteEndpoint extends Handler.Abstract {
  /** A compressed body larger than this is refused with 400 before it is read whole. */
  static final int MAX_BODY_BYTES = 32 << 20;

  private final WriteReceiver receiver;
  private final AppendableStore store;

  private RemoteWriteEndpoint(WriteReceiver receiver, AppendableStore store) {
    this.receiver = receiver;
    this.store = store;
  }

  /** The endpoint writing into {@code store}. */
  public static RemoteWriteEndpoint enabled(WriteReceiver receiver, AppendableStore store) {
    return new RemoteWriteEndpoint(receiver, store);
  }

  /** The endpoint of a server without the receiver: 404 with the flag to set. */
  public static RemoteWriteEndpoint disabled() {
    return new RemoteWriteEndpoint(null, null);
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    String path = Request.getPathInContext(request);
    if (!path.equals("/api/v1/write") && !path.equals("/api/v1/receive")) {
      return false;
    }
    if (receiver == null) {
      text(
          response,
          callback,
          404,
          "remote write receiver needs to be enabled with --web.enable-remote-write-receiver");
      return true;
    }
    if (!HttpMethod.POST.is(request.getMethod())) {
      response.getHeaders().put(HttpHeader.ALLOW, "POST");
      text(response, callback, 405, "method not allowed: remote write takes POST");
      return true;
    }
    long declared = request.getLength();
    if (declared > MAX_BODY_BYTES) {
      text(response, callback, 400, tooLarge());
      return true;
    }
    byte[] body;
    try (InputStream in = Content.Source.asInputStream(request)) {
      body = in.readNBytes(MAX_BODY_BYTES + 1);
    } catch (IOException e) {
      text(response, callback, 400, "reading the request body: " + e.getMessage());
      return true;
    }
    if (body.length > MAX_BODY_BYTES) {
      text(response, callback, 400, tooLarge());
      return true;
    }
    WriteReceiver.Outcome o =
        receiver.receive(
            body,
            body.length,
            request.getHeaders().get(HttpHeader.CONTENT_TYPE),
            request.getHeaders().get(HttpHeader.CONTENT_ENCODING),
            store);
    if (o.protocol() == WriteReceiver.Protocol.V2) {
      // 2.0 senders learn what was written from these, also on errors.
      response.getHeaders().put("X-Prometheus-Remote-Write-Samples-Written", o.samples());
      response.getHeaders().put("X-Prometheus-Remote-Write-Histograms-Written", 0L);
      response.getHeaders().put("X-Prometheus-Remote-Write-Exemplars-Written", 0L);
    }
    if (o.status() == 204) {
      response.setStatus(204);
      callback.succeeded();
    } else {
      text(response, callback, o.status(), o.error());
    }
    return true;
  }

  private static String tooLarge() {
    return "request body larger than " + MAX_BODY_BYTES + " bytes";
  }

  /** A plain-text answer, as Go's {@code http.Error} writes it. */
  private static void text(Response response, Callback callback, int status, String message) {
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
    response.getHeaders().put("X-Content-Type-Options", "nosniff");
    response.write(
        true, ByteBuffer.wrap((message + "\n").getBytes(StandardCharsets.UTF_8)), callback);
  }
}
