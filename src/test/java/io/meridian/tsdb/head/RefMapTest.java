package io.meridian.tsdb.head;

import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.model.Labels;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RefMapTest {
  private static MemSeries series(long ref) {
    return new MemSeries(ref, Labels.of("__name__", "s", "ref", Long.toString(ref)));
  }

  @Test
  void findsWhatWasPutAndNothingElse() {
    RefMap m = new RefMap();
    for (long ref = 1; ref <= 5000; ref += 3) {
      assertThat(m.putIfAbsent(ref, series(ref)).ref).isEqualTo(ref);
    }
    for (long ref = 0; ref <= 6000; ref++) {
      MemSeries s = m.get(ref);
      if (ref <= 5000 && ref % 3 == 1) {
        assertThat(s).isNotNull();
        assertThat(s.ref).isEqualTo(ref);
      } else {
        assertThat(s).isNull();
      }
    }
  }

  @Test
  void keepsTheFirstSeriesForARef() {
    RefMap m = new RefMap();
    MemSeries first = series(7);
    m.putIfAbsent(7, first);
    assertThat(m.putIfAbsent(7, series(7))).isSameAs(first);
    assertThat(m.get(7)).isSameAs(first);
  }

  @Test
  void refsBeyondThePagedRangeAndNegativeOnesWork() {
    RefMap m = new RefMap();
    long[] odd = {RefMap.MAX_PAGED_REF, Long.MAX_VALUE, -5};
    for (long ref : odd) {
      m.putIfAbsent(ref, series(ref));
    }
    for (long ref : odd) {
      assertThat(m.get(ref).ref).isEqualTo(ref);
    }
    m.removeIf(s -> s.ref == Long.MAX_VALUE);
    assertThat(m.get(Long.MAX_VALUE)).isNull();
    assertThat(m.containsKey(-5)).isTrue();
  }

  @Test
  void removeIfDropsExactlyTheChosenSeriesAndForEachSeesTheRest() {
    RefMap m = new RefMap();
    for (long ref = 1; ref <= 3000; ref++) {
      m.putIfAbsent(ref, series(ref));
    }
    m.removeIf(s -> s.ref <= 2048 || s.ref % 2 == 0); // the first two pages empty entirely
    List<Long> seen = new ArrayList<>();
    m.forEach(s -> seen.add(s.ref));
    List<Long> want = new ArrayList<>();
    for (long ref = 2049; ref <= 3000; ref += 2) {
      want.add(ref);
    }
    assertThat(seen).isEqualTo(want);
    assertThat(m.get(5)).isNull();
    m.putIfAbsent(5, series(5)); // an emptied page comes back when a ref in it is put again
    assertThat(m.get(5).ref).isEqualTo(5);
  }
}
