package io.meridian.scrape;

/**
 * A target's response body, decompressed, and its {@code Content-Type}.
 *
 * @see TargetScraper
 */
public final class Fetched {
  private final byte[] body;
  private final int length;
  private final String contentType;

  public Fetched(byte[] body, int length, String contentType) {
    this.body = body;
    this.length = length;
    this.contentType = contentType;
  }

  /** The bytes; only the first {@link #length()} count. Owned by the receiver. */
  public byte[] body() {
    return body;
  }

  public int length() {
    return length;
  }

  /** "" when the target sent none. */
  public String contentType() {
    return contentType;
  }
}
