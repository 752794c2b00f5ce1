package io.meridian.scrape;

import io.meridian.model.Labels;
import io.meridian.model.StaleNaN;
import io.meridian.storage.Querier;
import io.meridian.storage.Queryable;
import io.meridian.storage.SampleIterator;
import io.meridian.storage.SelectHints;
import io.meridian.storage.SeriesSet;
import java.util.ArrayList;
import java.util.List;

/** Every sample of a store as {@code name{labels} t value} lines, for exact comparison. */
final class Stored {
  private Stored() {}

  static List<String> samples(Queryable store) {
    List<String> out = new ArrayList<>();
    try (Querier q = store.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
      SeriesSet set = q.select(true, SelectHints.range(Long.MIN_VALUE, Long.MAX_VALUE), List.of());
      while (set.next()) {
        Labels l = set.at().labels();
        String series = l.metricName() + l.withoutMetricName();
        SampleIterator it = set.at().iterator(null);
        while (it.next()) {
          String v = StaleNaN.is(it.v()) ? "stale" : String.valueOf(it.v());
          out.add(series + " " + it.t() + " " + v);
        }
      }
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    return out;
  }
}
