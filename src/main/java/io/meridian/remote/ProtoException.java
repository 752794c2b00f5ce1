package io.meridian.remote;

import java.io.IOException;

/** A protobuf message that does not decode: truncated, a bad tag or wire type, invalid UTF-8. */
public final class ProtoException extends IOException {
  private static final long serialVersionUID = 1L;

  public ProtoException(String message) {
    super(message);
  }
}
