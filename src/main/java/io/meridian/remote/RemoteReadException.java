package io.meridian.remote;

import java.io.IOException;

/**
 * A remote read that gave no answer: the request could not be sent, timed out, was refused (a
 * status other than 2xx) or the answer does not decode. The message names the remote and the
 * reason, as a query warning shows it.
 */
public final class RemoteReadException extends IOException {
  private static final long serialVersionUID = 1L;

  RemoteReadException(String message) {
    super(message);
  }

  RemoteReadException(String message, Throwable cause) {
    super(message, cause);
  }
}
