package io.meridian.scrape;

import io.meridian.config.ScrapeLimits;
import io.meridian.model.Labels;
import java.nio.charset.StandardCharsets;

/** The per-series limits of a scrape: label count, name and value lengths (in bytes). */
final class LabelLimits {
  private LabelLimits() {}

  /** Why {@code labels} exceed {@code limits}, or null if they do not. */
  static String check(Labels labels, ScrapeLimits limits) {
    String metric = clip(labels.metricName());
    if (limits.labelLimit() > 0 && labels.size() > limits.labelLimit()) {
      return "label_limit exceeded (metric: "
          + metric
          + ", number of labels: "
          + labels.size()
          + ", limit: "
          + limits.labelLimit()
          + ")";
    }
    for (int i = 0; i < labels.size(); i++) {
      String name = labels.name(i);
      long nameLength = bytes(name);
      if (limits.labelNameLengthLimit() > 0 && nameLength > limits.labelNameLengthLimit()) {
        return "label_name_length_limit exceeded (metric: "
            + metric
            + ", label name: "
            + clip(name)
            + ", length: "
            + nameLength
            + ", limit: "
            + limits.labelNameLengthLimit()
            + ")";
      }
      long valueLength = bytes(labels.value(i));
      if (limits.labelValueLengthLimit() > 0 && valueLength > limits.labelValueLengthLimit()) {
        return "label_value_length_limit exceeded (metric: "
            + metric
            + ", label name: "
            + clip(name)
            + ", value: \""
            + clip(labels.value(i))
            + "\", length: "
            + valueLength
            + ", limit: "
            + limits.labelValueLengthLimit()
            + ")";
      }
    }
    return null;
  }

  private static long bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }

  private static String clip(String s) {
    String v = s == null ? "" : s;
    return v.length() > 50 ? v.substring(0, 50) : v;
  }
}
