package io.meridian.web;

import io.meridian.util.PromDuration;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.eclipse.jetty.util.Fields;

/**
 * The parameters of an API call, from the query string and a form-encoded body alike, parsed as
 * Prometheus parses them: times as Unix seconds (with fractions) or RFC 3339, durations as seconds
 * or Prometheus durations ({@code 15s}, {@code 1m30s}).
 */
final class ApiParams {
  /** Prometheus's "minimum" and "maximum" times for unbounded series and label queries. */
  static final long MIN_TIME = -9223372036854775L;

  static final long MAX_TIME = 9223372036854775L;

  private final Fields fields;

  ApiParams(Fields fields) {
    this.fields = fields;
  }

  /** The first value of {@code name}, or null. */
  String get(String name) {
    Fields.Field f = fields.get(name);
    return f == null ? null : f.getValue();
  }

  /** Every value of {@code name} (e.g. {@code match[]}). */
  List<String> all(String name) {
    Fields.Field f = fields.get(name);
    return f == null ? List.of() : f.getValues();
  }

  /** A time in milliseconds, or {@code dflt} when absent. */
  long time(String name, long dflt) {
    String v = get(name);
    if (v == null || v.isEmpty()) {
      return dflt;
    }
    return parseTime(name, v);
  }

  static long parseTime(String name, String v) {
    try {
      BigDecimal s = new BigDecimal(v);
      return s.movePointRight(3).setScale(0, java.math.RoundingMode.HALF_EVEN).longValueExact();
    } catch (NumberFormatException | ArithmeticException e) {
      // not a number: RFC 3339 next
    }
    try {
      return OffsetDateTime.parse(v).toInstant().toEpochMilli();
    } catch (DateTimeParseException e) {
      throw ApiException.badParameter(name, "cannot parse \"" + v + "\" to a valid timestamp");
    }
  }

  /** A duration in milliseconds, or {@code dflt} when absent. */
  long duration(String name, long dflt) {
    String v = get(name);
    if (v == null || v.isEmpty()) {
      return dflt;
    }
    try {
      double s = Double.parseDouble(v);
      if (Double.isNaN(s) || Double.isInfinite(s) || s * 1000 > Long.MAX_VALUE) {
        throw ApiException.badParameter(
            name, "cannot parse \"" + v + "\" to a valid duration. It overflows int64");
      }
      return (long) (s * 1000);
    } catch (NumberFormatException e) {
      try {
        return PromDuration.parse(v).toMillis();
      } catch (IllegalArgumentException e2) {
        throw ApiException.badParameter(name, "cannot parse \"" + v + "\" to a valid duration");
      }
    }
  }

  /** An integer, negative too, or {@code dflt} when absent. */
  int integer(String name, int dflt) {
    String v = get(name);
    if (v == null || v.isEmpty()) {
      return dflt;
    }
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw ApiException.badParameter(name, "cannot parse \"" + v + "\" to a valid integer");
    }
  }

  /** A non-negative integer, or {@code dflt} when absent. */
  int limit(String name, int dflt) {
    String v = get(name);
    if (v == null || v.isEmpty()) {
      return dflt;
    }
    try {
      int n = Integer.parseInt(v);
      if (n < 0) {
        throw ApiException.badParameter(name, "limit must be non-negative");
      }
      return n;
    } catch (NumberFormatException e) {
      throw ApiException.badParameter(name, "cannot parse \"" + v + "\" to a valid integer");
    }
  }
}
