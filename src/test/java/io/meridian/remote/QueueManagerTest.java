package io.meridian.remote;

import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.config.RemoteWriteConfig;
import io.meridian.model.Labels;
import io.meridian.model.MatchType;
import io.meridian.model.Matcher;
import io.meridian.relabel.RelabelRule;
import io.meridian.scrape.MetricMetadata;
import io.meridian.storage.Appender;
import io.meridian.storage.Querier;
import io.meridian.storage.SampleIterator;
import io.meridian.storage.SelectHints;
import io.meridian.storage.Series;
import io.meridian.storage.SeriesSet;
import io.meridian.testing.ManualClock;
import io.meridian.tsdb.Tsdb;
import io.meridian.tsdb.TsdbOptions;
import io.meridian.tsdb.wal.Checkpoint;
import io.meridian.util.Clock;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QueueManagerTest {
  @TempDir Path dir;
  private final List<AutoCloseable> open = new ArrayList<>();
  private FakeRemote remote;

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : open.reversed()) {
      c.close();
    }
  }

  private <T extends AutoCloseable> T opened(T c) {
    open.add(c);
    return c;
  }

  private static RemoteWriteConfig config(URI url, List<RelabelRule> relabel, boolean retry429) {
    return config(url, relabel, retry429, RemoteWriteConfig.PROTOBUF_V1);
  }

  private static RemoteWriteConfig config(
      URI url, List<RelabelRule> relabel, boolean retry429, String message) {
    return new RemoteWriteConfig(
        url,
        "",
        Duration.ofSeconds(5),
        Map.of("X-Extra", "yes"),
        relabel,
        RemoteWriteConfig.DEFAULT_HTTP_CLIENT,
        new RemoteWriteConfig.QueueConfig(
            500,
            1,
            4,
            100,
            Duration.ofMillis(50),
            Duration.ofMillis(10),
            Duration.ofMillis(100),
            retry429),
        RemoteWriteConfig.MetadataConfig.DEFAULT,
        message,
        false,
        false);
  }

  private Tsdb tsdb(Clock clock, Duration block, long segmentSize) throws Exception {
    return Tsdb.open(
        dir.resolve("data"),
        TsdbOptions.defaults().withBlockDuration(block).withWalSegmentSize(segmentSize),
        clock);
  }

  private QueueManager queue(
      Tsdb db, RemoteWriteConfig c, Labels external, QueueManager.Options options, Clock clock)
      throws Exception {
    QueueManager q =
        new QueueManager(
            "test",
            c,
            external,
            RemoteWriter.walOf(db),
            dir.resolve("data/remote_write/test.position"),
            options,
            clock);
    q.start();
    return q;
  }

  private static final QueueManager.Options FAST =
      new QueueManager.Options(0, Duration.ZERO, Duration.ofSeconds(2), 20);

  private static void await(String what, BooleanSupplier cond) throws InterruptedException {
    long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!cond.getAsBoolean()) {
      if (System.nanoTime() > until) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(10);
    }
  }

  /** Appends {@code series} series from {@code t0}, one sample each per step, a commit per step. */
  private static long append(Tsdb db, String name, int series, long t0, int steps, long step)
      throws Exception {
    long n = 0;
    for (int s = 0; s < steps; s++) {
      Appender app = db.appender();
      long t = t0 + s * step;
      for (int i = 0; i < series; i++) {
        app.append(Labels.of("__name__", name, "i", Integer.toString(i)), t, t / 1000.0 + i);
        n++;
      }
      app.commit();
    }
    return n;
  }

  /** Every sample of every series in {@code store}: labels -> list of "t=v". */
  private static Map<String, List<String>> dump(io.meridian.storage.Queryable store, String... drop)
      throws Exception {
    Map<String, List<String>> out = new TreeMap<>();
    try (Querier q = store.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
      SeriesSet set =
          q.select(
              false,
              SelectHints.range(Long.MIN_VALUE, Long.MAX_VALUE),
              List.of(Matcher.of(MatchType.REGEX, "__name__", ".+")));
      while (set.next()) {
        Series s = set.at();
        Labels l = s.labels();
        if (drop.length > 0) {
          l = l.toBuilder().del(drop).build();
        }
        List<String> samples = new ArrayList<>();
        SampleIterator it = s.iterator(null);
        while (it.next()) {
          samples.add(it.t() + "=" + it.v());
        }
        out.put(l.toString(), samples);
      }
    }
    return out;
  }

  @Test
  void sendsWhatIsAppendedWithExternalLabelsAndWriteRelabeling() throws Exception {
    remote = opened(new FakeRemote());
    Tsdb db = opened(tsdb(Clock.system(), Duration.ofHours(2), 1 << 20));
    RelabelRule dropOdd =
        RelabelRule.builder().action("drop").sourceLabels("i").regex("1|3").build();
    QueueManager q =
        opened(
            queue(
                db,
                config(remote.url(), List.of(dropOdd), false),
                Labels.of("cluster", "c1", "i", "ignored"),
                FAST,
                Clock.system()));
    append(db, "m", 4, 1_000, 50, 1000);
    await("200 samples kept by relabeling", () -> remote.stored.get() == 100);
    Map<String, List<String>> got = dump(remote.store);
    assertThat(got.keySet())
        .containsExactly(
            "{__name__=\"m\", cluster=\"c1\", i=\"0\"}",
            "{__name__=\"m\", cluster=\"c1\", i=\"2\"}");
    assertThat(got.values()).allSatisfy(v -> assertThat(v).hasSize(50));
    assertThat(dump(remote.store, "cluster")).isEqualTo(subset(dump(db), "0", "2"));
    assertThat(q.droppedRelabel.sum()).isEqualTo(100);
    assertThat(remote.contentTypes).allMatch("application/x-protobuf"::equals);
    await("the position saved", () -> Files.exists(dir.resolve("data/remote_write/test.position")));
  }

  private static Map<String, List<String>> subset(Map<String, List<String>> all, String... is) {
    Map<String, List<String>> out = new TreeMap<>();
    for (String i : is) {
      all.forEach((k, v) -> {
        if (k.contains("i=\"" + i + "\"")) {
          out.put(k, v);
        }
      });
    }
    return out;
  }

  @Test
  void remoteWrite2SendsTheSameDataWithASymbolTable() throws Exception {
    remote = opened(new FakeRemote());
    Tsdb db = opened(tsdb(Clock.system(), Duration.ofHours(2), 1 << 20));
    opened(
        queue(
            db,
            config(remote.url(), List.of(), false, RemoteWriteConfig.PROTOBUF_V2),
            Labels.of("cluster", "ü-1"),
            FAST,
            Clock.system()));
    long n = append(db, "m", 7, 1_000, 40, 1000);
    await("all samples", () -> remote.stored.get() == n);
    assertThat(remote.contentTypes)
        .allMatch("application/x-protobuf;proto=io.prometheus.write.v2.Request"::equals);
    assertThat(dump(remote.store, "cluster")).isEqualTo(dump(db));
    assertThat(dump(remote.store).keySet()).allMatch(k -> k.contains("cluster=\"ü-1\""));
  }

  @Test
  void retriesServerErrorsHonouringRetryAfterAndDeliversOnce() throws Exception {
    remote = opened(new FakeRemote());
    remote.then(503, null);
    remote.then(500, "1");
    remote.then(503, null);
    Tsdb db = opened(tsdb(Clock.system(), Duration.ofHours(2), 1 << 20));
    QueueManager q =
        opened(
            queue(db, config(remote.url(), List.of(), false), Labels.EMPTY, FAST, Clock.system()));
    long started = System.nanoTime();
    long n = append(db, "m", 10, 1_000, 30, 1000);
    await("all samples", () -> remote.stored.get() == n);
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThan(Duration.ofSeconds(1));
    assertThat(q.samplesRetried.sum()).isGreaterThanOrEqualTo(3);
    assertThat(q.samplesFailed.sum()).isZero();
    assertThat(remote.refused.get()).isZero(); // nothing arrived twice
    assertThat(dump(remote.store)).isEqualTo(dump(db));
  }

  @Test
  void dropsAndCountsBatchesRejectedWithClientErrors() throws Exception {
    remote = opened(new FakeRemote());
    remote.always(400);
    Tsdb db = opened(tsdb(Clock.system(), Duration.ofHours(2), 1 << 20));
    QueueManager q =
        opened(
            queue(db, config(remote.url(), List.of(), false), Labels.EMPTY, FAST, Clock.system()));
    long n = append(db, "m", 10, 1_000, 20, 1000);
    // The shard counts a batch failed just before it lets go of it: wait for both.
    await("all samples failed", () -> q.samplesFailed.sum() == n && q.pending() == 0);
    assertThat(q.samplesRetried.sum()).isZero();
    remote.always(204);
    long more = append(db, "m", 10, 100_000, 5, 1000);
    await("later samples sent", () -> remote.stored.get() == more);
  }

  @Test
  void tooManyRequestsIsRetriedOnlyWhenConfigured() throws Exception {
    remote = opened(new FakeRemote());
    remote.then(429, "0");
    Tsdb db = opened(tsdb(Clock.system(), Duration.ofHours(2), 1 << 20));
    QueueManager q =
        opened(
            queue(db, config(remote.url(), List.of(), true), Labels.EMPTY, FAST, Clock.system()));
    long n = append(db, "m", 5, 1_000, 10, 1000);
    await("all samples after the 429", () -> remote.stored.get() == n);
    assertThat(q.samplesRetried.sum()).isPositive();
    q.close();

    remote.then(429, null);
    QueueManager q2 =
        opened(
            queue(db, config(remote.url(), List.of(), false), Labels.EMPTY, FAST, Clock.system()));
    append(db, "m", 5, 100_000, 1, 1000);
    await("the 429 batch dropped", () -> q2.samplesFailed.sum() == 5);
    assertThat(q2.samplesRetried.sum()).isZero();
  }

  @Test
  void restartResumesAtTheSavedPositionWithoutResending() throws Exception {
    remote = opened(new FakeRemote());
    Tsdb db = tsdb(Clock.system(), Duration.ofHours(2), 1 << 20);
    QueueManager q =
        queue(db, config(remote.url(), List.of(), false), Labels.EMPTY, FAST, Clock.system());
    long first = append(db, "m", 10, 1_000, 20, 1000);
    await("first part", () -> remote.stored.get() == first);
    q.close();
    long whileDown = append(db, "m", 10, 100_000, 20, 1000);
    db.close();
    assertThat(WalPosition.load(dir.resolve("data/remote_write/test.position"))).isPresent();

    Tsdb db2 = opened(tsdb(Clock.system(), Duration.ofHours(2), 1 << 20));
    QueueManager q2 =
        opened(
            queue(db2, config(remote.url(), List.of(), false), Labels.EMPTY, FAST, Clock.system()));
    long after = append(db2, "m", 10, 200_000, 20, 1000);
    await("everything", () -> remote.stored.get() == first + whileDown + after);
    assertThat(remote.refused.get()).isZero();
    assertThat(dump(remote.store)).isEqualTo(dump(db2));
    assertThat(q2.samplesFailed.sum() + q2.droppedUnknown.sum()).isZero();
  }

  @Test
  void outageAcrossHeadTruncationAndRestartLosesNothing() throws Exception {
    remote = opened(new FakeRemote());
    ManualClock clock = new ManualClock(0);
    Duration block = Duration.ofMinutes(10);
    Tsdb db = tsdb(clock, block, 32 << 10);
    RemoteWriteConfig c = config(remote.url(), List.of(), false);
    QueueManager q = queue(db, c, Labels.EMPTY, FAST, clock);
    Map<String, List<String>> appended = new TreeMap<>();
    long sent = appendChurning(db, clock, appended, 0, 45);
    await("before the outage", () -> remote.stored.get() == sent);

    remote.always(503);
    long during = appendChurning(db, clock, appended, 45, 90);
    db.compact();
    assertThat(db.head().minTime()).isGreaterThan(0); // the head was truncated during the outage
    assertThat(Checkpoint.latest(db.walDir())).isPresent();
    q.close();
    db.close();

    Tsdb db2 = opened(tsdb(clock, block, 32 << 10));
    QueueManager q2 = opened(queue(db2, c, Labels.EMPTY, FAST, clock));
    long more = appendChurning(db2, clock, appended, 90, 110);
    db2.compact();
    remote.always(204);
    await("everything after the outage", () -> remote.stored.get() == sent + during + more);
    assertThat(remote.refused.get()).isZero();
    assertThat(q2.droppedUnknown.sum() + q2.droppedBacklog.sum() + q2.samplesFailed.sum()).isZero();
    assertThat(dump(remote.store)).isEqualTo(appended);
  }

  /**
   * Minutes {@code [from, to)}: 300 series, a sample every 15 s; every 10 minutes a third of them
   * are replaced by new ones (pods churning), so the head drops series while they are unsent.
   */
  private static long appendChurning(
      Tsdb db, ManualClock clock, Map<String, List<String>> appended, int from, int to)
      throws Exception {
    long n = 0;
    for (long t = from * 60_000L; t < to * 60_000L; t += 15_000) {
      clock.setMillis(t);
      long generation = t / 600_000;
      Appender app = db.appender();
      for (int i = 0; i < 300; i++) {
        String pod = i < 100 ? "pod-" + generation + "-" + i : "stable-" + i;
        Labels l = Labels.of("__name__", "c", "pod", pod);
        double v = t / 1000.0;
        app.append(l, t, v);
        appended.computeIfAbsent(l.toString(), k -> new ArrayList<>()).add(t + "=" + v);
        n++;
      }
      app.commit();
    }
    return n;
  }

  @Test
  void backlogOverItsBudgetDropsTheOldestAndCountsThem() throws Exception {
    remote = opened(new FakeRemote());
    remote.always(503);
    ManualClock clock = new ManualClock(0);
    Tsdb db = opened(tsdb(clock, Duration.ofHours(2), 64 << 10));
    QueueManager.Options budget =
        new QueueManager.Options(256 << 10, Duration.ofHours(24), Duration.ofSeconds(2), 20);
    QueueManager q =
        opened(queue(db, config(remote.url(), List.of(), false), Labels.EMPTY, budget, clock));
    Map<String, List<String>> appended = new TreeMap<>();
    long total = 0;
    // A day at one sample a minute for 50 series: far more WAL than the budget.
    for (int hour = 0; hour < 24; hour++) {
      for (int m = 0; m < 60; m++) {
        long t = (hour * 60L + m) * 60_000;
        clock.setMillis(t);
        Appender app = db.appender();
        for (int i = 0; i < 50; i++) {
          Labels l = Labels.of("__name__", "g", "i", Integer.toString(i));
          app.append(l, t, m);
          appended.computeIfAbsent(l.toString(), k -> new ArrayList<>()).add(t + "=" + (double) m);
          total++;
        }
        app.commit();
      }
      q.checkBacklog();
      db.compact();
    }
    q.checkBacklog();
    assertThat(q.droppedBacklog.sum()).isPositive();
    assertThat(q.backlogBytes()).isLessThanOrEqualTo((256 << 10) + (64 << 10));
    remote.always(204);
    long all = total;
    await(
        "sent or dropped",
        () -> remote.stored.get() + q.droppedBacklog.sum() == all && q.pending() == 0);
    // What arrived is the newest of each series: a suffix of what was appended.
    Map<String, List<String>> got = dump(remote.store);
    assertThat(got).isNotEmpty();
    got.forEach((k, v) -> {
      List<String> a = appended.get(k);
      assertThat(a.subList(a.size() - v.size(), a.size())).isEqualTo(v);
    });
  }

  @Test
  void shardsFollowTheRateAndTheBacklogWithinTheirBounds() throws Exception {
    remote = opened(new FakeRemote());
    Tsdb db = opened(tsdb(Clock.system(), Duration.ofHours(2), 1 << 20));
    QueueManager q =
        opened(
            queue(db, config(remote.url(), List.of(), false), Labels.EMPTY, FAST, Clock.system()));
    long tenSeconds = Duration.ofSeconds(10).toNanos();
    // 1 ms per sample sent, 1,000 samples/s coming in: one shard is exactly busy.
    assertThat(q.desiredShards(10_000, 10_000, tenSeconds, tenSeconds, 0, 1)).isEqualTo(1);
    // 3,000/s coming in: three shards.
    assertThat(q.desiredShards(30_000, 10_000, tenSeconds, tenSeconds, 0, 1)).isEqualTo(3);
    // A backlog of 10,000 to catch up within ten seconds adds one.
    assertThat(q.desiredShards(30_000, 10_000, tenSeconds, tenSeconds, 10_000, 3)).isEqualTo(4);
    // Within 30% of the current count nothing changes; far above it, max_shards (4) caps it.
    assertThat(q.desiredShards(11_000, 10_000, tenSeconds, tenSeconds, 0, 1)).isEqualTo(1);
    assertThat(q.desiredShards(1_000_000, 10_000, tenSeconds, tenSeconds, 0, 1)).isEqualTo(4);
    // Idle: min_shards (1); nothing sent in the interval: no basis to change.
    assertThat(q.desiredShards(0, 10, 1_000_000, tenSeconds, 0, 4)).isEqualTo(1);
    assertThat(q.desiredShards(5_000, 0, 0, tenSeconds, 0, 2)).isEqualTo(2);
  }

  @Test
  void metadataIsSentEverySendIntervalAsItsOwnRequest() throws Exception {
    remote = opened(new FakeRemote());
    Tsdb db = opened(tsdb(Clock.system(), Duration.ofHours(2), 1 << 20));
    RemoteWriteConfig base = config(remote.url(), List.of(), false);
    RemoteWriteConfig c =
        new RemoteWriteConfig(
            base.url(),
            base.name(),
            base.remoteTimeout(),
            base.headers(),
            base.writeRelabelConfigs(),
            base.httpClient(),
            base.queue(),
            new RemoteWriteConfig.MetadataConfig(true, Duration.ofMillis(100), 2),
            base.protobufMessage(),
            false,
            false);
    List<MetricMetadata> families =
        List.of(
            new MetricMetadata("http_requests_total", "counter", "Requests.", ""),
            new MetricMetadata("temperature", "gauge", "", "celsius"),
            new MetricMetadata("latency_seconds", "histogram", "Latency.", "seconds"));
    QueueManager q =
        new QueueManager(
            "test",
            c,
            Labels.EMPTY,
            RemoteWriter.walOf(db),
            dir.resolve("data/remote_write/test.position"),
            FAST,
            Clock.system(),
            () -> families);
    opened(q);
    q.start();
    await("three entries sent, two requests a round", () -> q.metadataSent.sum() >= 3);
    assertThat(q.metadataFailed.sum()).isZero();
    assertThat(remote.requests.get()).isGreaterThanOrEqualTo(2);
    assertThat(remote.stored.get()).isZero(); // metadata alone carries no samples
  }

  @Test
  void metadataRequestsCarryTypeFamilyHelpAndUnit() throws Exception {
    WriteRequestEncoder e = new WriteRequestEncoder(false);
    e.encodeMetadata(
        List.of(
            new MetricMetadata("a_total", "counter", "Help ü.", ""),
            new MetricMetadata("b", "stateset", "", "bytes"),
            new MetricMetadata("c", "unknown", "", "")),
        0,
        3);
    ProtoReader r = new ProtoReader(e.array(), 0, e.length());
    List<String> got = new ArrayList<>();
    while (r.hasMore()) {
      assertThat(ProtoReader.field(r.tag())).isEqualTo(3);
      int end = r.lengthEnd();
      int old = r.sub(end);
      StringBuilder m = new StringBuilder();
      while (r.hasMore()) {
        int tag = r.tag();
        if (ProtoReader.wireType(tag) == ProtoReader.VARINT) {
          m.append(ProtoReader.field(tag)).append('=').append(r.varint()).append(' ');
        } else {
          int se = r.lengthEnd();
          m.append(ProtoReader.field(tag))
              .append('=')
              .append(
                  new String(r.bytes(), r.position(), se - r.position(), StandardCharsets.UTF_8))
              .append(' ');
          r.skipTo(se);
        }
      }
      r.pop(old);
      got.add(m.toString().strip());
    }
    assertThat(got).containsExactly("1=1 2=a_total 4=Help ü.", "1=7 2=b 5=bytes", "1=0 2=c");
  }

  @Test
  void positionFileThatIsNotAPositionIsAnErrorNamingIt() throws Exception {
    Path f = dir.resolve("p");
    Files.writeString(f, "garbage");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> WalPosition.load(f))
        .hasMessageContaining(f.toString())
        .hasMessageContaining("not a WAL position");
    assertThat(WalPosition.load(dir.resolve("absent"))).isEqualTo(Optional.empty());
  }
}
