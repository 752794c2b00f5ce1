package io.meridian.web;

/**
 * An API call that fails, with Prometheus's error type and the HTTP status it goes with: {@code
 * bad_data} 400, {@code execution} 422, {@code timeout} and {@code canceled} 503, {@code not_found}
 * 404, {@code internal} 500.
 */
final class ApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final String type;
  private final int status;

  ApiException(String type, int status, String message) {
    super(message);
    this.type = type;
    this.status = status;
  }

  static ApiException badData(String message) {
    return new ApiException("bad_data", 400, message);
  }

  /** A parameter that does not parse, in Prometheus's words. */
  static ApiException badParameter(String name, String why) {
    return badData("invalid parameter \"" + name + "\": " + why);
  }

  String type() {
    return type;
  }

  int status() {
    return status;
  }
}
