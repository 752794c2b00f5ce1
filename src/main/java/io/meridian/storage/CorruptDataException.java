package io.meridian.storage;

import java.io.IOException;

/**
 * Stored bytes were read but do not check out: a checksum mismatch, an impossible encoding, a
 * reference past the end. The message names the file (or source) and the offset.
 */
public class CorruptDataException extends IOException {
  private static final long serialVersionUID = 1L;

  public CorruptDataException(String message) {
    super(message);
  }

  public CorruptDataException(String message, Throwable cause) {
    super(message, cause);
  }
}
