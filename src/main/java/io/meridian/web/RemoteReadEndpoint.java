package io.meridian.web;

import io.meridian.model.Labels;
import io.meridian.remote.ReadServer;
import io.meridian.storage.ChunkQueryable;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * {@code POST /api/v1/read}: remote read from the store queries read (on a server, the TSDB merged
 * with its {@code remote_read} sources, as Prometheus serves its fanout storage), always on, in
 * {@code SAMPLES} or, when the client asks for it first and the store has chunks, {@code
 * STREAMED_XOR_CHUNKS}.
 */
final class RemoteReadEndpoint extends Handler.Abstract {
  private final ApiBackend backend;

  RemoteReadEndpoint(ApiBackend backend) {
    this.backend = backend;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    if (!Request.getPathInContext(request).equals("/api/v1/read")) {
      return false;
    }
    if (!HttpMethod.POST.is(request.getMethod())) {
      response.getHeaders().put(HttpHeader.ALLOW, "POST");
      ProtoBodies.text(response, callback, 405, "method not allowed: remote read takes POST");
      return true;
    }
    byte[] body = ProtoBodies.read(request, response, callback);
    if (body == null) {
      return true;
    }
    Labels external = backend.externalLabels().get();
    ReadServer.Request req;
    try {
      req = ReadServer.decode(body, body.length);
    } catch (ReadServer.BadRequest e) {
      ProtoBodies.text(response, callback, 400, e.getMessage());
      return true;
    }
    if (req.responseType() == ReadServer.ResponseType.STREAMED_XOR_CHUNKS
        && backend.storage() instanceof ChunkQueryable chunks) {
      response.setStatus(200);
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, ReadServer.STREAMED_CONTENT_TYPE);
      try (OutputStream out = Content.Sink.asOutputStream(response)) {
        ReadServer.streamChunks(req, chunks, external, out, ReadServer.DEFAULT_MAX_FRAME_BYTES);
      }
      callback.succeeded();
      return true;
    }
    byte[] answer;
    try {
      answer =
          ReadServer.samples(req, backend.storage(), external, ReadServer.DEFAULT_SAMPLE_LIMIT);
    } catch (ReadServer.BadRequest e) {
      ProtoBodies.text(response, callback, 400, e.getMessage());
      return true;
    }
    response.setStatus(200);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/x-protobuf");
    response.getHeaders().put(HttpHeader.CONTENT_ENCODING, "snappy");
    response.write(true, ByteBuffer.wrap(answer), callback);
    return true;
  }
}
