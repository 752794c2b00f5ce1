package io.meridian.web;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** What the remote write and read endpoints share: a bounded body, and plain-text errors. */
final class ProtoBodies {
  /** A compressed body larger than this is refused with 400 before it is read whole. */
  static final int MAX_BODY_BYTES = 32 << 20;

  private ProtoBodies() {}

  /**
   * The request's body, or null after answering 400 when it is larger than {@link #MAX_BODY_BYTES}
   * or cannot be read.
   */
  static byte[] read(Request request, Response response, Callback callback) {
    if (request.getLength() > MAX_BODY_BYTES) {
      text(response, callback, 400, tooLarge());
      return null;
    }
    byte[] body;
    try (InputStream in = Content.Source.asInputStream(request)) {
      body = in.readNBytes(MAX_BODY_BYTES + 1);
    } catch (IOException e) {
      text(response, callback, 400, "reading the request body: " + e.getMessage());
      return null;
    }
    if (body.length > MAX_BODY_BYTES) {
      text(response, callback, 400, tooLarge());
      return null;
    }
    return body;
  }

  private static String tooLarge() {
    return "request body larger than " + MAX_BODY_BYTES + " bytes";
  }

  /** A plain-text answer, as Go's {@code http.Error} writes it. */
  static void text(Response response, Callback callback, int status, String message) {
    response.setStatus(status);
    response.getHeaders().put("Content-Type", "text/plain; charset=utf-8");
    response.getHeaders().put("X-Content-Type-Options", "nosniff");
    response.write(
        true, ByteBuffer.wrap((message + "\n").getBytes(StandardCharsets.UTF_8)), callback);
  }
}
