package io.meridian.promql.script;

import io.meridian.model.Labels;
import java.util.List;

/**
 * A series and its expanded points, as written on a {@code load} line or an expected-result line.
 *
 * @param line the line number in the script, from 1
 */
public record SeriesLine(Labels labels, List<SequenceValue> values, int line) {
  public SeriesLine {
    values = List.copyOf(values);
  }

  /** Whether any point is a native histogram. */
  public boolean hasHistograms() {
    return values.stream().anyMatch(SequenceValue::isHistogram);
  }
}
