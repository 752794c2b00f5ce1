package io.meridian.promql;

/**
 * A query that failed while being evaluated, with the error type the HTTP API reports ({@code
 * bad_data}, {@code execution}, {@code timeout}, {@code canceled}) and Prometheus's message.
 */
public final class PromqlException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The API's error types. */
  public enum Kind {
    BAD_DATA("bad_data"),
    EXECUTION("execution"),
    TIMEOUT("timeout"),
    CANCELED("canceled");

    private final String apiName;

    Kind(String apiName) {
      this.apiName = apiName;
    }

    public String apiName() {
      return apiName;
    }
  }

  private final Kind kind;

  public PromqlException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public PromqlException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
