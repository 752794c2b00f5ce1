package io.meridian.relabel;

/**
 * A relabel rule that Prometheus would refuse, with Prometheus's message (for example {@code
 * relabel configuration for hashmod requires non-zero modulus}). The config parser adds the file,
 * line and field; this message names only the rule's own problem.
 */
public final class RelabelConfigException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public RelabelConfigException(String message) {
    super(message);
  }

  public RelabelConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
