package io.meridian.exposition;

import io.meridian.model.Labels;
import io.meridian.model.NameValidation;
import io.meridian.util.GoFormat;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes samples in the Prometheus text format 0.0.4, as Prometheus's own writer does: {@code #
 * TYPE} lines, label values escaped, values as Go prints them ({@code 1}, {@code 0.5}, {@code
 * 1e+06}, {@code NaN}, {@code +Inf}), timestamps in milliseconds. Names outside the legacy
 * character set are quoted inside the braces, as Prometheus 3 writes them. Streams into a caller's
 * buffered output; one instance per response, not thread-safe.
 */
public final class TextWriter {
  private final OutputStream out;
  private final StringBuilder line = new StringBuilder(256);

  public TextWriter(OutputStream out) {
    this.out = out;
  }

  /** {@code # TYPE name type}. */
  public void type(String name, String type) throws IOException {
    line.setLength(0);
    line.append("# TYPE ");
    name(name);
    line.append(' ').append(type).append('\n');
    flushLine();
  }

  /** One sample: the series' labels (its name among them), value and timestamp (ms). */
  public void sample(Labels labels, double value, long timestampMs) throws IOException {
    line.setLength(0);
    String name = labels.metricName();
    boolean quotedName = name != null && !NameValidation.isLegacyMetricName(name);
    if (name != null && !quotedName) {
      line.append(name);
    }
    boolean open = false;
    if (quotedName) {
      line.append('{');
      quote(name);
      open = true;
    }
    for (int i = 0; i < labels.size(); i++) {
      String ln = labels.name(i);
      if (ln.equals(Labels.METRIC_NAME)) {
        continue;
      }
      line.append(open ? ',' : '{');
      open = true;
      if (NameValidation.isLegacyLabelName(ln)) {
        line.append(ln);
      } else {
        quote(ln);
      }
      line.append('=');
      quote(labels.value(i));
    }
    if (open) {
      line.append('}');
    }
    line.append(' ').append(GoFormat.g(value)).append(' ').append(timestampMs).append('\n');
    flushLine();
  }

  private void name(String name) {
    if (NameValidation.isLegacyMetricName(name)) {
      line.append(name);
    } else {
      quote(name);
    }
  }

  private void quote(String s) {
    quote(line, s);
  }

  /**
   * Appends {@code s} in double quotes with the text format's escapes ({@code \\}, {@code \"},
   * {@code \n}): a label value's form, and logfmt's too.
   */
  public static void quote(StringBuilder out, String s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '\\' -> out.append("\\\\");
        case '"' -> out.append("\\\"");
        case '\n' -> out.append("\\n");
        default -> out.append(c);
      }
    }
    out.append('"');
  }

  private void flushLine() throws IOException {
    out.write(line.toString().getBytes(StandardCharsets.UTF_8));
  }
}
