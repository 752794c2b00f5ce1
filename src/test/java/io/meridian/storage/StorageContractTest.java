package io.meridian.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meridian.model.Labels;
import io.meridian.model.Matcher;
import io.meridian.model.StaleNaN;
import io.meridian.storage.SampleRejectedException.Reason;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The storage contract (see {@link Appender}, {@link Querier}, {@link ChunkQuerier}) as tests.
 * Every {@link Storage} implementation extends this with a factory for an empty store.
 */
public abstract class StorageContractTest {
  protected static final long MIN = Long.MIN_VALUE;
  protected static final long MAX = Long.MAX_VALUE;

  protected static final Labels CPU_A = Labels.of("__name__", "cpu", "job", "api", "pod", "a");
  protected static final Labels CPU_B = Labels.of("__name__", "cpu", "job", "api", "pod", "b");
  protected static final Labels CPU_WEB = Labels.of("__name__", "cpu", "job", "web", "pod", "c");
  protected static final Labels MEM_A = Labels.of("__name__", "mem", "job", "api", "pod", "a");
  protected static final Labels UP = Labels.of("__name__", "up", "job", "web", "zone", "eu");

  protected Storage storage;

  /** A new, empty store. */
  protected abstract Storage newStorage() throws IOException;

  /** A sample as the contract sees it: timestamp and exact bits. */
  protected record S(long t, long bits) {
    static S of(long t, double v) {
      return new S(t, Double.doubleToRawLongBits(v));
    }
  }

  @BeforeEach
  void openStorage() throws IOException {
    storage = newStorage();
  }

  @AfterEach
  void closeStorage() throws IOException {
    storage.close();
  }

  @Test
  void committedSamplesBecomeVisibleAndUncommittedDoNot() throws Exception {
    Appender app = storage.appender();
    app.append(CPU_A, 1000, 1.0);
    app.append(CPU_B, 1000, 2.0);
    assertThat(read(MIN, MAX, Matcher.equal("__name__", "cpu"))).isEmpty();
    app.commit();
    assertThat(read(MIN, MAX, Matcher.equal("__name__", "cpu")))
        .containsExactly(
            Map.entry(CPU_A, List.of(S.of(1000, 1.0))), Map.entry(CPU_B, List.of(S.of(1000, 2.0))));
  }

  @Test
  void rollbackLeavesNoTrace() throws Exception {
    commit(CPU_A, 1000, 1.0);
    Appender app = storage.appender();
    app.append(CPU_A, 2000, 2.0);
    app.append(MEM_A, 2000, 3.0);
    app.rollback();
    assertThat(read(MIN, MAX, Matcher.regex("__name__", ".+")))
        .containsExactly(Map.entry(CPU_A, List.of(S.of(1000, 1.0))));
    // The rolled-back sample did not move the series on: an earlier timestamp is still fine.
    commit(CPU_A, 1500, 1.5);
    assertThat(read(MIN, MAX, Matcher.equal("pod", "a")).get(CPU_A)).hasSize(2);
  }

  @Test
  void finishedAppenderRefusesFurtherCalls() throws Exception {
    Appender committed = storage.appender();
    committed.append(CPU_A, 1000, 1.0);
    committed.commit();
    assertThatThrownBy(() -> committed.append(CPU_A, 2000, 1.0))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(committed::commit).isInstanceOf(IllegalStateException.class);
    Appender rolledBack = storage.appender();
    rolledBack.rollback();
    assertThatThrownBy(() -> rolledBack.append(CPU_A, 2000, 1.0))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void emptyLabelSetIsRefused() {
    Appender app = storage.appender();
    assertThatThrownBy(() -> app.append(Labels.EMPTY, 1000, 1.0))
        .isInstanceOf(IllegalArgumentException.class);
    app.rollback();
  }

  @Test
  void referencesAreStableAndUnknownOnesFallBackOnLabels() throws Exception {
    Appender first = storage.appender();
    long ref = first.append(CPU_A, 1000, 1.0);
    assertThat(ref).isNotZero();
    first.commit();

    Appender second = storage.appender();
    assertThat(second.append(ref, CPU_A, 2000, 2.0)).isEqualTo(ref);
    assertThat(second.append(CPU_A, 3000, 3.0)).isEqualTo(ref);
    long unknown = Long.MAX_VALUE - 7;
    long refB = second.append(unknown, CPU_B, 1000, 9.0);
    assertThat(refB).isNotZero().isNotEqualTo(ref);
    second.commit();

    assertThat(read(MIN, MAX, Matcher.equal("__name__", "cpu")))
        .containsExactly(
            Map.entry(CPU_A, List.of(S.of(1000, 1.0), S.of(2000, 2.0), S.of(3000, 3.0))),
            Map.entry(CPU_B, List.of(S.of(1000, 9.0))));
  }

  @Test
  void outOfOrderAndDuplicatesAreRejectedAndTheRestCommits() throws Exception {
    Appender app = storage.appender();
    app.append(CPU_A, 1000, 1.0);
    assertRejected(app, CPU_A, 500, 1.0, Reason.OUT_OF_ORDER);
    assertRejected(app, CPU_A, 1000, 2.0, Reason.DUPLICATE);
    app.append(CPU_A, 1000, 1.0); // the same sample again is harmless
    app.append(CPU_A, 2000, 2.0);
    app.append(CPU_B, 500, 5.0); // other series are judged on their own
    app.commit();

    Appender later = storage.appender();
    assertRejected(later, CPU_A, 1500, 1.5, Reason.OUT_OF_ORDER);
    assertRejected(later, CPU_A, 2000, 2.5, Reason.DUPLICATE);
    later.append(CPU_A, 3000, 3.0);
    later.commit();

    assertThat(read(MIN, MAX, Matcher.equal("__name__", "cpu")))
        .containsExactly(
            Map.entry(CPU_A, List.of(S.of(1000, 1.0), S.of(2000, 2.0), S.of(3000, 3.0))),
            Map.entry(CPU_B, List.of(S.of(500, 5.0))));
  }

  @Test
  void specialValuesAreStoredBitForBit() throws Exception {
    double[] vs = {
      Double.NaN,
      StaleNaN.VALUE,
      Double.POSITIVE_INFINITY,
      Double.NEGATIVE_INFINITY,
      -0.0,
      0.0,
      Double.MIN_VALUE
    };
    Appender app = storage.appender();
    List<S> expected = new ArrayList<>();
    for (int i = 0; i < vs.length; i++) {
      app.append(UP, 1000L * (i + 1), vs[i]);
      expected.add(S.of(1000L * (i + 1), vs[i]));
    }
    app.commit();
    assertThat(read(MIN, MAX, Matcher.equal("__name__", "up")).get(UP))
        .containsExactlyElementsOf(expected);
    // NaNs with different payloads are different values: a duplicate, not a repeat.
    Appender again = storage.appender();
    assertRejected(again, UP, 1000L * vs.length, Double.NaN, Reason.DUPLICATE);
    again.rollback();
  }

  @Test
  void selectAppliesEveryMatcherTypeAndSortsByLabels() throws Exception {
    Appender app = storage.appender();
    for (Labels l : List.of(UP, MEM_A, CPU_WEB, CPU_B, CPU_A)) {
      app.append(l, 1000, 1.0);
    }
    app.commit();

    assertThat(select(Matcher.equal("__name__", "cpu"))).containsExactly(CPU_A, CPU_B, CPU_WEB);
    assertThat(select(Matcher.equal("__name__", "cpu"), Matcher.notEqual("job", "api")))
        .containsExactly(CPU_WEB);
    assertThat(select(Matcher.regex("__name__", "cpu|mem"), Matcher.regex("pod", "a")))
        .containsExactly(CPU_A, MEM_A);
    assertThat(select(Matcher.regex("job", ".+"), Matcher.notRegex("pod", "[ab]")))
        .containsExactly(CPU_WEB, UP);
    // A missing label matches "": zone="" selects series without zone.
    assertThat(select(Matcher.equal("job", "web"), Matcher.equal("zone", "")))
        .containsExactly(CPU_WEB);
    assertThat(select(Matcher.equal("job", "web"), Matcher.notEqual("zone", "")))
        .containsExactly(UP);
    assertThat(select(Matcher.equal("__name__", "nope"))).isEmpty();
    assertThat(select(Matcher.regex("__name__", "cp"))).as("regex is anchored").isEmpty();
  }

  @Test
  void timeRangeIsInclusiveAndSeriesOutsideItAreLeftOut() throws Exception {
    Appender app = storage.appender();
    for (long t = 1000; t <= 10_000; t += 1000) {
      app.append(CPU_A, t, t / 1000.0);
    }
    app.append(CPU_B, 20_000, 1.0);
    app.commit();

    Map<Labels, List<S>> got = read(3000, 5000, Matcher.equal("__name__", "cpu"));
    assertThat(got.keySet()).containsExactly(CPU_A);
    assertThat(got.get(CPU_A)).containsExactly(S.of(3000, 3.0), S.of(4000, 4.0), S.of(5000, 5.0));
    assertThat(read(10_001, 19_999, Matcher.equal("__name__", "cpu"))).isEmpty();
  }

  @Test
  void labelNamesAndValuesAreSortedDistinctAndFiltered() throws Exception {
    Appender app = storage.appender();
    for (Labels l : List.of(UP, MEM_A, CPU_WEB, CPU_B, CPU_A)) {
      app.append(l, 1000, 1.0);
    }
    app.commit();
    try (Querier q = storage.querier(MIN, MAX)) {
      assertThat(q.labelNames(LabelHints.NONE, List.of()))
          .containsExactly("__name__", "job", "pod", "zone");
      assertThat(q.labelNames(LabelHints.NONE, List.of(Matcher.equal("__name__", "cpu"))))
          .containsExactly("__name__", "job", "pod");
      assertThat(q.labelValues("__name__", LabelHints.NONE, List.of()))
          .containsExactly("cpu", "mem", "up");
      assertThat(q.labelValues("pod", LabelHints.NONE, List.of(Matcher.equal("job", "api"))))
          .containsExactly("a", "b");
      assertThat(q.labelValues("pod", new LabelHints(1), List.of())).containsExactly("a");
      assertThat(q.labelValues("absent", LabelHints.NONE, List.of())).isEmpty();
    }
  }

  @Test
  void iteratorsSeekForwardOnly() throws Exception {
    Appender app = storage.appender();
    for (long t = 10; t <= 100; t += 10) {
      app.append(CPU_A, t, (double) t);
    }
    app.commit();
    try (Querier q = storage.querier(MIN, MAX)) {
      SeriesSet set =
          q.select(true, SelectHints.range(MIN, MAX), List.of(Matcher.equal("pod", "a")));
      assertThat(set.next()).isTrue();
      SampleIterator it = set.at().iterator(null);
      assertThat(it.seek(15)).isTrue();
      assertThat(it.t()).isEqualTo(20);
      assertThat(it.seek(20)).isTrue();
      assertThat(it.t()).isEqualTo(20);
      assertThat(it.seek(5)).isTrue();
      assertThat(it.t()).as("seek never moves back").isEqualTo(20);
      assertThat(it.next()).isTrue();
      assertThat(it.t()).isEqualTo(30);
      assertThat(it.seek(100)).isTrue();
      assertThat(it.v()).isEqualTo(100.0);
      assertThat(it.seek(101)).isFalse();
      assertThat(it.next()).isFalse();
      SampleIterator again = set.at().iterator(it);
      assertThat(again.next()).isTrue();
      assertThat(again.t()).as("a reused iterator starts over").isEqualTo(10);
      assertThat(set.next()).isFalse();
    }
  }

  @Test
  void chunkViewHoldsTheSameSamplesAsTheSampleView() throws Exception {
    Appender app = storage.appender();
    for (int i = 0; i < 1000; i++) {
      app.append(CPU_A, 15_000L * i, i % 7 == 0 ? StaleNaN.VALUE : Math.sin(i));
      if (i % 3 == 0) {
        app.append(CPU_B, 15_000L * i + 7, i);
      }
    }
    app.commit();
    long mint = 15_000L * 200 + 1;
    long maxt = 15_000L * 700;
    Map<Labels, List<S>> samples = read(mint, maxt, Matcher.equal("__name__", "cpu"));

    Map<Labels, List<S>> fromChunks = new LinkedHashMap<>();
    try (ChunkQuerier q = storage.chunkQuerier(mint, maxt)) {
      ChunkSeriesSet set =
          q.select(true, SelectHints.range(mint, maxt), List.of(Matcher.equal("__name__", "cpu")));
      while (set.next()) {
        List<S> got = new ArrayList<>();
        ChunkIterator chunks = set.at().chunks(null);
        long previousMax = Long.MIN_VALUE;
        SampleIterator it = null;
        while (chunks.next()) {
          Chunk c = chunks.chunk();
          assertThat(c.encoding()).isEqualTo(ChunkEncoding.XOR);
          assertThat(chunks.minTime()).isGreaterThan(previousMax).isLessThanOrEqualTo(maxt);
          assertThat(chunks.maxTime()).isGreaterThanOrEqualTo(mint);
          previousMax = chunks.maxTime();
          ByteBuffer bytes = c.bytes();
          assertThat(bytes.remaining()).isPositive();
          it = c.iterator(it);
          int n = 0;
          long first = 0;
          long last = 0;
          while (it.next()) {
            if (n++ == 0) {
              first = it.t();
            }
            last = it.t();
            if (it.t() >= mint && it.t() <= maxt) {
              got.add(new S(it.t(), Double.doubleToRawLongBits(it.v())));
            }
          }
          assertThat(n).isEqualTo(c.numSamples());
          assertThat(first).isEqualTo(chunks.minTime());
          assertThat(last).isEqualTo(chunks.maxTime());
        }
        fromChunks.put(set.at().labels(), got);
      }
    }
    assertThat(fromChunks).containsExactlyEntriesOf(samples);
    assertThat(samples.get(CPU_A)).hasSize(500);
  }

  @Test
  void appendersOnManyThreadsAllLand() throws Exception {
    int threads = 4;
    int seriesPerThread = 10;
    int samples = 200;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int th = 0; th < threads; th++) {
        int id = th;
        done.add(
            pool.submit(() -> {
              for (int i = 0; i < samples; i++) {
                Appender app = storage.appender();
                for (int s = 0; s < seriesPerThread; s++) {
                  app.append(Labels.of("__name__", "load", "t", "" + id, "s", "" + s), i, i);
                }
                app.commit();
              }
              return null;
            }));
      }
      for (Future<?> f : done) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    Map<Labels, List<S>> got = read(MIN, MAX, Matcher.equal("__name__", "load"));
    assertThat(got).hasSize(threads * seriesPerThread);
    assertThat(got.values()).allSatisfy(l -> assertThat(l).hasSize(samples));
  }

  // --- helpers ---

  protected void commit(Labels l, long t, double v) throws Exception {
    Appender app = storage.appender();
    app.append(l, t, v);
    app.commit();
  }

  protected static void assertRejected(Appender app, Labels l, long t, double v, Reason reason) {
    assertThatThrownBy(() -> app.append(l, t, v))
        .isInstanceOf(SampleRejectedException.class)
        .satisfies(e -> assertThat(((SampleRejectedException) e).reason()).isEqualTo(reason));
  }

  protected List<Labels> select(Matcher... matchers) throws IOException {
    return new ArrayList<>(read(MIN, MAX, matchers).keySet());
  }

  /** Series in the order select returns them (sorted), with their samples. */
  protected Map<Labels, List<S>> read(long mint, long maxt, Matcher... matchers)
      throws IOException {
    Map<Labels, List<S>> out = new LinkedHashMap<>();
    try (Querier q = storage.querier(mint, maxt)) {
      SeriesSet set = q.select(true, SelectHints.range(mint, maxt), List.of(matchers));
      SampleIterator it = null;
      while (set.next()) {
        Series s = set.at();
        it = s.iterator(it);
        List<S> samples = new ArrayList<>();
        while (it.next()) {
          samples.add(new S(it.t(), Double.doubleToRawLongBits(it.v())));
        }
        assertThat(out.put(s.labels(), samples)).as("series returned twice").isNull();
      }
    }
    return out;
  }
}
