package io.meridian.web;

import io.meridian.remote.WriteReceiver;
import io.meridian.storage.AppendableStore;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
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
  private final WriteReceiver receiver;
  private final AppendableStore store;
  private final WriteReceiver.Admission admission;

  private RemoteWriteEndpoint(
      WriteReceiver receiver, AppendableStore store, WriteReceiver.Admission admission) {
    this.receiver = receiver;
    this.store = store;
    this.admission = admission;
  }

  /** The endpoint writing into {@code store}. */
  public static RemoteWriteEndpoint enabled(WriteReceiver receiver, AppendableStore store) {
    return new RemoteWriteEndpoint(receiver, store, WriteReceiver.Admission.ALL);
  }

  /** The endpoint writing into {@code store} what {@code admission} lets through. */
  public static RemoteWriteEndpoint enabled(
      WriteReceiver receiver, AppendableStore store, WriteReceiver.Admission admission) {
    return new RemoteWriteEndpoint(receiver, store, admission);
  }

  /** The endpoint of a server without the receiver: 404 with the flag to set. */
  public static RemoteWriteEndpoint disabled() {
    return new RemoteWriteEndpoint(null, null, null);
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    String path = Request.getPathInContext(request);
    if (!path.equals("/api/v1/write") && !path.equals("/api/v1/receive")) {
      return false;
    }
    if (receiver == null) {
      ProtoBodies.text(
          response,
          callback,
          404,
          "remote write receiver needs to be enabled with --web.enable-remote-write-receiver");
      return true;
    }
    if (!HttpMethod.POST.is(request.getMethod())) {
      response.getHeaders().put(HttpHeader.ALLOW, "POST");
      ProtoBodies.text(response, callback, 405, "method not allowed: remote write takes POST");
      return true;
    }
    byte[] body = ProtoBodies.read(request, response, callback);
    if (body == null) {
      return true;
    }
    WriteReceiver.Outcome o =
        receiver.receive(
            body,
            body.length,
            request.getHeaders().get(HttpHeader.CONTENT_TYPE),
            request.getHeaders().get(HttpHeader.CONTENT_ENCODING),
            store,
            admission);
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
      ProtoBodies.text(response, callback, o.status(), o.error());
    }
    return true;
  }
}
