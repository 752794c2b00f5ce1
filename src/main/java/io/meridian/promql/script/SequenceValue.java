package io.meridian.promql.script;

/**
 * One position of an expanded series description ({@code 1+2x3}, {@code _}, {@code stale}, {@code
 * {{...}}}): a float, a missing point, or a native histogram kept as its text (native histograms
 * cannot be stored or compared yet).
 *
 * @param omitted true for {@code _}: no point at this position
 * @param value the float value (the staleness marker for {@code stale}); 0 when omitted or a
 *     histogram
 * @param histogram the text between {@code {{} and {@code }}}, or null for a float
 */
public record SequenceValue(boolean omitted, double value, String histogram) {

  private static final SequenceValue OMITTED = new SequenceValue(true, 0, null);

  /** A float point. */
  public static SequenceValue of(double value) {
    return new SequenceValue(false, value, null);
  }

  /** No point ({@code _}). */
  public static SequenceValue missing() {
    return OMITTED;
  }

  /** A native histogram point, kept as written. */
  public static SequenceValue histogram(String text) {
    return new SequenceValue(false, 0, text);
  }

  public boolean isHistogram() {
    return histogram != null;
  }

  @Override
  public String toString() {
    if (omitted) {
      return "_";
    }
    return histogram != null ? "{{" + histogram + "}}" : GoNumbers.format(value);
  }
}
