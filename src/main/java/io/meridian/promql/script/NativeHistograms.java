package io.meridian.promql.script;

import io.meridian.model.Labels;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.OptionalDouble;
import java.util.Set;

/** What the runner needs to know about native histograms it cannot store yet. */
final class NativeHistograms {
  private NativeHistograms() {}

  /**
   * The histogram series {@code load_with_nhcb} makes from classic histogram series, as Prometheus
   * names them: {@code x_bucket{le="..."}} (with a numeric {@code le}), {@code x_count} and {@code
   * x_sum} become {@code x} without {@code le}.
   */
  static Set<Labels> customBucketSeries(List<SeriesLine> series) {
    Set<Labels> out = new LinkedHashSet<>();
    for (SeriesLine s : series) {
      String name = s.labels().metricName();
      if (name == null) {
        continue;
      }
      String base = null;
      if (name.endsWith("_bucket")) {
        String le = s.labels().get("le");
        OptionalDouble bound = le == null ? OptionalDouble.empty() : GoNumbers.parseFloat(le);
        if (bound.isPresent() && !Double.isNaN(bound.getAsDouble())) {
          base = name.substring(0, name.length() - "_bucket".length());
        }
      } else if (name.endsWith("_count")) {
        base = name.substring(0, name.length() - "_count".length());
      } else if (name.endsWith("_sum")) {
        base = name.substring(0, name.length() - "_sum".length());
      }
      if (base != null) {
        out.add(s.labels().toBuilder().set(Labels.METRIC_NAME, base).del("le").build());
      }
    }
    return out;
  }
}
