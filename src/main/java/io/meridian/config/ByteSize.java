package io.meridian.config;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Prometheus's byte sizes ({@code body_size_limit: 10MB}): base-2 units {@code B}, {@code KB} (or
 * {@code KiB}), {@code MB}, {@code GB}, {@code TB}, {@code PB}, {@code EB}, each a power of 1024,
 * and sums such as {@code 1GB512MB}. A bare number has no unit and is an error, as in Prometheus.
 */
public final class ByteSize {
  private static final Pattern PART = Pattern.compile("([0-9]+)([^0-9]*)");
  private static final Map<String, Long> UNITS =
      Map.ofEntries(
          Map.entry("B", 1L),
          Map.entry("KB", 1L << 10),
          Map.entry("KiB", 1L << 10),
          Map.entry("MB", 1L << 20),
          Map.entry("MiB", 1L << 20),
          Map.entry("GB", 1L << 30),
          Map.entry("GiB", 1L << 30),
          Map.entry("TB", 1L << 40),
          Map.entry("TiB", 1L << 40),
          Map.entry("PB", 1L << 50),
          Map.entry("PiB", 1L << 50),
          Map.entry("EB", 1L << 60),
          Map.entry("EiB", 1L << 60));

  private ByteSize() {}

  /**
   * The number of bytes {@code s} names.
   *
   * @throws IllegalArgumentException in Prometheus's words: {@code units: unknown unit XB in 10XB}
   */
  public static long parse(String s) {
    if (s.equals("0")) {
      return 0;
    }
    Matcher m = PART.matcher(s);
    long total = 0;
    int at = 0;
    while (at < s.length()) {
      if (!m.find(at) || m.start() != at) {
        throw new IllegalArgumentException("units: invalid " + s);
      }
      Long unit = UNITS.get(m.group(2));
      if (unit == null) {
        throw new IllegalArgumentException("units: unknown unit " + m.group(2) + " in " + s);
      }
      try {
        total = Math.addExact(total, Math.multiplyExact(Long.parseLong(m.group(1)), unit));
      } catch (ArithmeticException | NumberFormatException e) {
        throw new IllegalArgumentException("units: overflow in " + s, e);
      }
      at = m.end();
    }
    if (s.isEmpty()) {
      throw new IllegalArgumentException("units: invalid " + s);
    }
    return total;
  }
}
