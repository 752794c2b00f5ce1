package io.meridian.scrape;

/** A target whose labels do not make a scrapable target; the message says why. */
public final class TargetException extends Exception {
  private static final long serialVersionUID = 1L;

  public TargetException(String message) {
    super(message);
  }
}
