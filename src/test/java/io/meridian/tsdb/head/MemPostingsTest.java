package io.meridian.tsdb.head;

import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.model.Labels;
import io.meridian.testing.SeededRandom;
import io.meridian.testing.SeededRandomExtension;
import io.meridian.tsdb.index.Postings;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(SeededRandomExtension.class)
class MemPostingsTest {
  private static List<Long> read(Postings p) {
    List<Long> out = new ArrayList<>();
    while (p.next()) {
      out.add(p.at());
    }
    return out;
  }

  @Test
  void listsEveryRefInOrderThroughAddsOutOfOrderAddsAndRemovals(SeededRandom random) {
    MemPostings postings = new MemPostings();
    Map<String, NavigableSet<Long>> model = new HashMap<>();
    NavigableSet<Long> all = new TreeSet<>();
    long ref = 0;
    List<Long> late = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      // Mostly one after another, sometimes far apart (gaps of many varint bytes), and now and
      // then a ref held back and added after later ones, as concurrent creations do.
      ref += random.nextInt(10) == 0 ? random.nextLong(1, 1L << 40) : random.nextInt(1, 4);
      if (random.nextInt(50) == 0) {
        late.add(ref);
        continue;
      }
      add(postings, model, all, ref, random);
      if (!late.isEmpty() && random.nextInt(5) == 0) {
        add(postings, model, all, late.removeLast(), random);
      }
      if (i % 5000 == 4999) {
        long mod = random.nextInt(2, 7);
        postings.remove(r -> r % mod == 0);
        all.removeIf(r -> r % mod == 0);
        model.values().forEach(s -> s.removeIf(r -> r % mod == 0));
        model.values().removeIf(NavigableSet::isEmpty);
        assertThat(postings.labelValues("v")).hasSize(model.size());
      }
    }
    assertThat(read(postings.allPostings())).containsExactlyElementsOf(all);
    for (Map.Entry<String, NavigableSet<Long>> e : model.entrySet()) {
      assertThat(read(postings.postings("v", e.getKey())))
          .as("v=%s", e.getKey())
          .containsExactlyElementsOf(e.getValue());
    }
    assertThat(read(postings.postings("v", "none"))).isEmpty();
  }

  private static void add(
      MemPostings postings,
      Map<String, NavigableSet<Long>> model,
      NavigableSet<Long> all,
      long ref,
      SeededRandom random) {
    String value = "x" + random.nextInt(40);
    postings.add(ref, Labels.of("__name__", "m", "v", value));
    model.computeIfAbsent(value, k -> new TreeSet<>()).add(ref);
    all.add(ref);
  }
}
