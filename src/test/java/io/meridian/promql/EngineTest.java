package io.meridian.promql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meridian.model.Labels;
import io.meridian.storage.Appender;
import io.meridian.storage.Querier;
import io.meridian.storage.Queryable;
import io.meridian.testing.ManualClock;
import io.meridian.tsdb.head.Head;
import io.meridian.tsdb.head.HeadOptions;
import io.meridian.tsdb.head.Journal;
import io.meridian.util.Clock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The engine's API, limits and result shapes; the language itself is the conformance corpus's. */
class EngineTest {
  private final Head head = new Head(HeadOptions.defaults(), Journal.NONE);
  private final ManualClock clock = new ManualClock(0);

  @BeforeEach
  void load() throws Exception {
    Appender app = head.appender();
    for (int i = 0; i < 10; i++) {
      Labels l = Labels.of("__name__", "up", "job", "j" + i);
      for (long t = 0; t <= 600_000; t += 15_000) {
        app.append(l, t + i, t / 1000.0 + i);
      }
    }
    app.commit();
  }

  private Engine engine(EngineOptions o) {
    return new Engine(o, clock);
  }

  @Test
  void instantVectorSamplesCarryTheEvaluationTimeAndTimestampGivesTheSampleTime() {
    Engine e = engine(EngineOptions.defaults());
    Vector v = (Vector) e.instantQuery(head, "up{job=\"j3\"}", 100_000).value();
    assertThat(v.samples()).hasSize(1);
    assertThat(v.samples().get(0).t()).isEqualTo(100_000);
    assertThat(v.samples().get(0).v()).isEqualTo(93.0); // the sample at 90s+3ms
    Vector ts = (Vector) e.instantQuery(head, "timestamp(up{job=\"j3\"})", 100_000).value();
    assertThat(ts.samples().get(0).v()).isEqualTo(90.003);
    assertThat(ts.samples().get(0).labels()).isEqualTo(Labels.of("job", "j3"));
  }

  @Test
  void rangeQueriesReturnAMatrixSortedByLabelsAndScalarsAsOneSeries() {
    Engine e = engine(EngineOptions.defaults());
    Matrix m = (Matrix) e.rangeQuery(head, "up", 0, 60_000, 15_000).value();
    assertThat(m.series()).hasSize(10);
    assertThat(m.series().get(0).labels().get("job")).isEqualTo("j0");
    assertThat(m.series().get(0).size()).isEqualTo(5);
    assertThat(m.series().get(9).size()).isEqualTo(4); // its first sample is 9 ms after 0
    Matrix s = (Matrix) e.rangeQuery(head, "time() * 2", 0, 60_000, 30_000).value();
    assertThat(s.series()).singleElement().satisfies(r -> assertThat(r.v(2)).isEqualTo(120.0));
  }

  @Test
  void badRangeQueryParametersAreRefused() {
    Engine e = engine(EngineOptions.defaults());
    assertThatThrownBy(() -> e.rangeQuery(head, "up", 0, 60_000, 0))
        .isInstanceOf(PromqlException.class)
        .hasMessageContaining("zero or negative query resolution step widths are not accepted");
    assertThatThrownBy(() -> e.rangeQuery(head, "\"a\"", 0, 60_000, 1000))
        .isInstanceOf(PromqlException.class)
        .hasMessage(
            "invalid expression type \"string\" for range query, must be Scalar or instant Vector");
    assertThatThrownBy(() -> e.instantQuery(head, "sum(", 0))
        .isInstanceOf(io.meridian.promql.parser.ParseException.class);
  }

  @Test
  void tooManySamplesFailsTheQueryAsPrometheusDoes() {
    Engine e = engine(EngineOptions.defaults().withMaxSamples(100));
    assertThat(((Vector) e.instantQuery(head, "up", 300_000).value()).samples()).hasSize(10);
    assertThatThrownBy(() -> e.rangeQuery(head, "up", 0, 600_000, 15_000))
        .isInstanceOf(PromqlException.class)
        .hasMessage("query processing would load too many samples into memory in query execution")
        .extracting(x -> ((PromqlException) x).kind())
        .isEqualTo(PromqlException.Kind.EXECUTION);
  }

  @Test
  void aQueryPastItsTimeoutStops() {
    Clock ticking =
        new Clock() {
          private long now;

          @Override
          public long millis() {
            return now / 1_000_000;
          }

          @Override
          public long nanos() {
            now += 1_000_000_000L; // every reading is a second later
            return now;
          }
        };
    Engine e = new Engine(EngineOptions.defaults().withTimeout(Duration.ofSeconds(3)), ticking);
    assertThatThrownBy(() -> e.rangeQuery(head, "rate(up[1m])", 0, 600_000, 15_000))
        .isInstanceOf(PromqlException.class)
        .hasMessage("query timed out in expression evaluation")
        .extracting(x -> ((PromqlException) x).kind())
        .isEqualTo(PromqlException.Kind.TIMEOUT);
  }

  @Test
  void concurrentQueriesBeyondTheLimitWait() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger inside = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    Queryable gated =
        (mint, maxt) -> {
          int now = inside.incrementAndGet();
          most.accumulateAndGet(now, Math::max);
          entered.countDown();
          try {
            assertThat(release.await(10, TimeUnit.SECONDS)).isTrue();
          } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
          }
          Querier q = head.querier(mint, maxt);
          inside.decrementAndGet();
          return q;
        };
    EngineOptions one =
        new EngineOptions(
            Duration.ofMinutes(5),
            1_000_000,
            Duration.ofMinutes(1),
            1,
            true,
            Duration.ofMinutes(1));
    Engine e = engine(one);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Future<QueryResult> a = pool.submit(() -> e.instantQuery(gated, "up", 300_000));
      assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
      Future<QueryResult> b = pool.submit(() -> e.instantQuery(gated, "up", 300_000));
      assertThat(b.isDone()).isFalse();
      release.countDown();
      assertThat(((Vector) a.get(10, TimeUnit.SECONDS).value()).samples()).hasSize(10);
      assertThat(((Vector) b.get(10, TimeUnit.SECONDS).value()).samples()).hasSize(10);
      assertThat(most.get()).isEqualTo(1);
    } finally {
      pool.shutdownNow();
    }
  }
}
