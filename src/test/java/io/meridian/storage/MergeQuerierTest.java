package io.meridian.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.model.Labels;
import io.meridian.model.Matcher;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MergeQuerierTest {
  private static final Labels A = Labels.of("__name__", "m", "x", "a");
  private static final Labels B = Labels.of("__name__", "m", "x", "b");
  private static final Labels C = Labels.of("__name__", "m", "x", "c");

  private static ReferenceStorage store(Object... labelsTimeValue) throws Exception {
    ReferenceStorage s = new ReferenceStorage();
    Appender app = s.appender();
    for (int i = 0; i < labelsTimeValue.length; i += 3) {
      app.append(
          (Labels) labelsTimeValue[i],
          (Long) labelsTimeValue[i + 1],
          (Double) labelsTimeValue[i + 2]);
    }
    app.commit();
    return s;
  }

  private static Map<Labels, List<String>> read(Querier q, SelectHints hints) {
    Map<Labels, List<String>> out = new LinkedHashMap<>();
    SeriesSet set = q.select(true, hints, List.of(Matcher.equal("__name__", "m")));
    SampleIterator it = null;
    while (set.next()) {
      it = set.at().iterator(it);
      List<String> samples = new ArrayList<>();
      while (it.next()) {
        samples.add(it.t() + "=" + it.v());
      }
      out.put(set.at().labels(), samples);
    }
    return out;
  }

  @Test
  void mergesSeriesByLabelsAndSamplesByTimeFirstSourceWinning() throws Exception {
    ReferenceStorage first = store(A, 1L, 1.0, A, 3L, 3.0, C, 1L, 10.0);
    ReferenceStorage second = store(A, 2L, 2.0, A, 3L, 99.0, B, 5L, 5.0);
    try (Querier q = MergeQuerier.of(List.of(first.querier(0, 100), second.querier(0, 100)))) {
      assertThat(read(q, SelectHints.range(0, 100)))
          .containsExactly(
              Map.entry(A, List.of("1=1.0", "2=2.0", "3=3.0")),
              Map.entry(B, List.of("5=5.0")),
              Map.entry(C, List.of("1=10.0")));
      assertThat(read(q, new SelectHints(0, 100, 0, "", 2)).keySet()).containsExactly(A, B);
      assertThat(q.labelValues("x", LabelHints.NONE, List.of())).containsExactly("a", "b", "c");
      assertThat(q.labelValues("x", new LabelHints(2), List.of())).containsExactly("a", "b");
      assertThat(q.labelNames(LabelHints.NONE, List.of())).containsExactly("__name__", "x");
    }
  }
}
