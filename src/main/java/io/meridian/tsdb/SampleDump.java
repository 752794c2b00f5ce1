package io.meridian.tsdb;

import io.meridian.model.Matcher;
import io.meridian.storage.Querier;
import io.meridian.storage.SampleIterator;
import io.meridian.storage.SelectHints;
import io.meridian.storage.SeriesSet;
import io.meridian.util.GoFormat;
import java.io.IOException;
import java.util.List;

/**
 * Writes samples as {@code promtool tsdb dump} prints them: {@code {labels} value timestamp}, one
 * line a sample, series in label order, values in Go's {@code %g}.
 */
public final class SampleDump {
  private SampleDump() {}

  /** Writes every sample of the series matching {@code matchers} in {@code [mint, maxt]}. */
  public static void write(Querier q, List<Matcher> matchers, long mint, long maxt, Appendable out)
      throws IOException {
    SeriesSet set = q.select(true, SelectHints.range(mint, maxt), matchers);
    SampleIterator it = null;
    while (set.next()) {
      String labels = set.at().labels().toString();
      it = set.at().iterator(it);
      while (it.next()) {
        out.append(labels)
            .append(' ')
            .append(GoFormat.g(it.v()))
            .append(' ')
            .append(Long.toString(it.t()))
            .append('\n');
      }
    }
  }
}
