package io.meridian.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.model.Labels;
import io.meridian.model.MatchType;
import io.meridian.model.Matcher;
import io.meridian.testing.SeededRandom;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Random series, random samples and random matchers, checked against {@link ReferenceStorage}: the
 * real store must answer every select, label-name and label-value query as the model does.
 */
public final class RandomizedQueries {
  private static final String[] NAMES = {"__name__", "job", "pod", "zone", "le"};
  private static final String[] VALUES = {"a", "b", "ab", "ba", "c", "api", "web", "x.y"};
  private static final String[] REGEXES = {"a.*", "b|c", ".+", ".*", "", "a", "(ab|ba)", "x\\.y"};

  private RandomizedQueries() {}

  /** Appends the same random data to both stores, in a few committed batches. */
  public static void fill(SeededRandom random, AppendableStore real, AppendableStore model)
      throws Exception {
    List<Labels> series = new ArrayList<>();
    int n = random.nextInt(1, 60);
    for (int i = 0; i < n; i++) {
      Labels.Builder b = Labels.builder().set("__name__", random.pick("m1", "m2", "m3"));
      for (int k = 1; k < NAMES.length; k++) {
        if (random.nextBoolean()) {
          b.set(NAMES[k], VALUES[random.nextInt(VALUES.length)]);
        }
      }
      series.add(b.build());
    }
    long t = 1_000_000;
    for (int batch = 0; batch < 5; batch++) {
      Appender a = real.appender();
      Appender m = model.appender();
      for (int k = 0; k < 200; k++) {
        Labels l = series.get(random.nextInt(series.size()));
        t += random.nextInt(0, 3_000);
        double v = random.nextInt(10) == 0 ? Double.NaN : random.nextDouble() * 100;
        Exception realError = null;
        Exception modelError = null;
        try {
          a.append(l, t, v);
        } catch (SampleRejectedException e) {
          realError = e;
        }
        try {
          m.append(l, t, v);
        } catch (SampleRejectedException e) {
          modelError = e;
        }
        assertThat(realError == null)
            .as("accepts like the model: %s @%d", l, t)
            .isEqualTo(modelError == null);
      }
      a.commit();
      m.commit();
    }
  }

  /** Runs {@code queries} random queries on both and compares. */
  public static void compare(SeededRandom random, Queryable real, Queryable model, int queries)
      throws IOException {
    for (int q = 0; q < queries; q++) {
      List<Matcher> matchers = randomMatchers(random);
      long mint = random.nextBoolean() ? Long.MIN_VALUE : random.nextLong(1_000_000, 2_000_000);
      long maxt =
          random.nextBoolean()
              ? Long.MAX_VALUE
              : random.nextLong(mint < 0 ? 1_000_000 : mint, 3_500_000);
      try (Querier r = real.querier(mint, maxt);
          Querier m = model.querier(mint, maxt)) {
        assertThat(read(r, mint, maxt, matchers))
            .as("select %s in [%d, %d]", matchers, mint, maxt)
            .containsExactlyEntriesOf(read(m, mint, maxt, matchers));
        String name = random.pick(NAMES);
        assertThat(r.labelValues(name, LabelHints.NONE, matchers))
            .as("label values of %s for %s", name, matchers)
            .containsAll(m.labelValues(name, LabelHints.NONE, matchers));
        assertThat(r.labelNames(LabelHints.NONE, matchers))
            .as("label names for %s", matchers)
            .containsAll(m.labelNames(LabelHints.NONE, matchers));
      }
    }
  }

  static List<Matcher> randomMatchers(SeededRandom random) {
    List<Matcher> ms = new ArrayList<>();
    int n = random.nextInt(1, 4);
    for (int i = 0; i < n; i++) {
      String name = random.pick(NAMES);
      MatchType type = random.pick(MatchType.values());
      String value =
          type == MatchType.REGEX || type == MatchType.NOT_REGEX
              ? random.pick(REGEXES)
              : random.nextInt(5) == 0 ? "" : random.pick(VALUES);
      if (name.equals("__name__") && type == MatchType.EQUAL) {
        value = random.pick("m1", "m2", "m3", "m4");
      }
      ms.add(Matcher.of(type, name, value));
    }
    return ms;
  }

  private static Map<Labels, List<String>> read(
      Querier q, long mint, long maxt, List<Matcher> matchers) {
    Map<Labels, List<String>> out = new LinkedHashMap<>();
    SeriesSet set = q.select(true, SelectHints.range(mint, maxt), matchers);
    SampleIterator it = null;
    while (set.next()) {
      it = set.at().iterator(it);
      List<String> samples = new ArrayList<>();
      while (it.next()) {
        samples.add(it.t() + "=" + Long.toHexString(Double.doubleToRawLongBits(it.v())));
      }
      if (!samples.isEmpty()) { // stores may return series whose chunks span the range, empty
        out.put(set.at().labels(), samples);
      }
    }
    return out;
  }
}
