package io.meridian.scrape;

import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.config.ScrapeConfig;
import io.meridian.model.Labels;
import io.meridian.storage.AppendableStore;
import io.meridian.storage.Appender;
import io.meridian.storage.SampleRejectedException;
import io.meridian.testing.ManualClock;
import io.meridian.tsdb.head.Head;
import io.meridian.tsdb.head.HeadOptions;
import io.meridian.tsdb.head.Journal;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class ScrapeLoopTest {
  private static final String TEXT = "text/plain; version=0.0.4; charset=utf-8";
  private static final String OM = "application/openmetrics-text; version=1.0.0; charset=utf-8";
  private static final String T = "{instance=\"h:1\", job=\"j\"}";

  private final Head head = new Head(HeadOptions.defaults(), Journal.NONE);
  private final ManualClock clock = new ManualClock(0);

  private ScrapeLoop loop(String extra) {
    return loop(head, extra);
  }

  private ScrapeLoop loop(AppendableStore store, String extra) {
    ScrapeConfig cfg =
        Configs.scrape(
            """
            scrape_configs:
              - job_name: j
                static_configs:
                  - targets: ['h:1']
            """
                + extra.indent(4));
    return new ScrapeLoop(Targets.of(cfg).active().get(0), cfg, store, clock);
  }

  private static void scrape(ScrapeLoop l, long t, String body, String type) throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    l.scrapeOnce(t, 0, b, b.length, type);
  }

  private static List<String> report(long t, int up, long scraped, long post, long added) {
    return List.of(
        "scrape_duration_seconds" + T + " " + t + " 0.0",
        "scrape_samples_post_metric_relabeling" + T + " " + t + " " + (double) post,
        "scrape_samples_scraped" + T + " " + t + " " + (double) scraped,
        "scrape_series_added" + T + " " + t + " " + (double) added,
        "up" + T + " " + t + " " + (double) up);
  }

  private List<String> stored(String prefix) {
    return Stored.samples(head).stream().filter(s -> s.startsWith(prefix)).toList();
  }

  private List<String> reportStored() {
    return Stored.samples(head).stream()
        .filter(s -> s.startsWith("scrape_") || s.startsWith("up{"))
        .toList();
  }

  private static List<String> concat(List<String> a, List<String> b) {
    return concat(a, b, List.of());
  }

  private static List<String> concat(List<String> a, List<String> b, List<String> c) {
    return Stream.of(a, b, c).flatMap(List::stream).sorted().toList();
  }

  @Test
  void storesSamplesWithTargetLabelsAndReport() throws IOException {
    ScrapeLoop l = loop("");
    scrape(
        l,
        1000,
        """
        # HELP a_total A.
        # TYPE a_total counter
        a_total{path="/x"} 3
        b 1.5
        """,
        TEXT);
    assertThat(l.lastError()).isEmpty();
    assertThat(Stored.samples(head))
        .containsExactlyElementsOf(
            concat(
                List.of(
                    "a_total{instance=\"h:1\", job=\"j\", path=\"/x\"} 1000 3.0",
                    "b" + T + " 1000 1.5"),
                report(1000, 1, 2, 2, 2)));
  }

  @Test
  void absentSeriesGoStaleAndNewOnesAreCounted() throws IOException {
    ScrapeLoop l = loop("");
    scrape(l, 1000, "a 1\nb 2\n", TEXT);
    scrape(l, 2000, "b 3\nc 4\n", TEXT);
    assertThat(stored("a{")).containsExactly("a" + T + " 1000 1.0", "a" + T + " 2000 stale");
    assertThat(stored("b{")).containsExactly("b" + T + " 1000 2.0", "b" + T + " 2000 3.0");
    assertThat(stored("c{")).containsExactly("c" + T + " 2000 4.0");
    assertThat(stored("scrape_series_added"))
        .containsExactly(
            "scrape_series_added" + T + " 1000 2.0", "scrape_series_added" + T + " 2000 1.0");
  }

  @Test
  void conflictingLabelsAreExportedUnlessHonored() throws IOException {
    scrape(loop(""), 1000, "m{job=\"x\",exported_job=\"y\",instance=\"i\"} 1\n", TEXT);
    assertThat(stored("m{"))
        .containsExactly(
            "m{exported_exported_job=\"x\", exported_instance=\"i\", exported_job=\"y\","
                + " instance=\"h:1\", job=\"j\"} 1000 1.0");
    Head other = new Head(HeadOptions.defaults(), Journal.NONE);
    scrape(loop(other, "honor_labels: true"), 1000, "m{job=\"x\"} 1\nn 2\n", TEXT);
    assertThat(Stored.samples(other))
        .contains("m{instance=\"h:1\", job=\"x\"} 1000 1.0", "n" + T + " 1000 2.0");
  }

  @Test
  void metricRelabelingDropsAndRewrites() throws IOException {
    ScrapeLoop l =
        loop(
            """
            metric_relabel_configs:
              - source_labels: [__name__]
                regex: drop_.*
                action: drop
              - target_label: env
                replacement: prod
            """);
    scrape(l, 1000, "drop_me 1\nkeep 2\ndrop_too 3\n", TEXT);
    assertThat(Stored.samples(head))
        .containsExactlyElementsOf(
            concat(
                List.of("keep{env=\"prod\", instance=\"h:1\", job=\"j\"} 1000 2.0"),
                report(1000, 1, 3, 1, 1)));
  }

  @Test
  void honorsTimestampsAsConfigured() throws IOException {
    ScrapeLoop honoring = loop("");
    scrape(honoring, 5000, "a 1 4000\n", TEXT);
    assertThat(stored("a{")).containsExactly("a" + T + " 4000 1.0");
    // A series with its own timestamp gets no staleness marker when it disappears.
    scrape(honoring, 6000, "", TEXT);
    assertThat(stored("a{")).containsExactly("a" + T + " 4000 1.0");

    Head other = new Head(HeadOptions.defaults(), Journal.NONE);
    scrape(loop(other, "honor_timestamps: false"), 5000, "a 1 4000\n", TEXT);
    assertThat(Stored.samples(other)).contains("a" + T + " 5000 1.0");
  }

  @Test
  void readsOpenMetricsByContentType() throws IOException {
    ScrapeLoop l = loop("");
    scrape(
        l,
        3000,
        """
        # TYPE c counter
        c_total 7 2.5
        # EOF
        """,
        OM);
    assertThat(stored("c_total")).containsExactly("c_total" + T + " 2500 7.0");
    scrape(l, 4000, "c_total 8\n", "application/json");
    assertThat(l.lastError()).isEqualTo("received unsupported Content-Type \"application/json\"");
  }

  @Test
  void sampleLimitFailsTheWholeScrape() throws IOException {
    ScrapeLoop l = loop("sample_limit: 2");
    scrape(l, 1000, "a 1\n", TEXT);
    scrape(l, 2000, "a 1\nb 2\nc 3\nd 4\n", TEXT);
    assertThat(l.lastError()).isEqualTo("sample_limit exceeded (limit: 2)");
    assertThat(stored("a{")).containsExactly("a" + T + " 1000 1.0", "a" + T + " 2000 stale");
    assertThat(stored("b{")).isEmpty();
    assertThat(reportStored())
        .containsExactlyElementsOf(concat(report(1000, 1, 1, 1, 1), report(2000, 0, 4, 3, 0)));
    scrape(l, 3000, "a 5\n", TEXT);
    assertThat(l.lastError()).isEmpty();
    assertThat(stored("a{")).endsWith("a" + T + " 3000 5.0");
  }

  @Test
  void labelLimitsFailTheScrape() throws IOException {
    ScrapeLoop count = loop("label_limit: 3");
    scrape(count, 1000, "ok 1\nm{a=\"1\",b=\"2\"} 1\n", TEXT);
    assertThat(count.lastError())
        .isEqualTo("label_limit exceeded (metric: m, number of labels: 5, limit: 3)");
    assertThat(stored("ok{")).isEmpty();

    ScrapeLoop name =
        loop(new Head(HeadOptions.defaults(), Journal.NONE), "label_name_length_limit: 8");
    scrape(name, 1000, "m{long_name=\"1\"} 1\n", TEXT);
    assertThat(name.lastError())
        .isEqualTo(
            "label_name_length_limit exceeded (metric: m, label name: long_name, length: 9,"
                + " limit: 8)");

    ScrapeLoop value =
        loop(new Head(HeadOptions.defaults(), Journal.NONE), "label_value_length_limit: 3");
    scrape(value, 1000, "m{a=\"abcd\"} 1\n", TEXT);
    assertThat(value.lastError())
        .isEqualTo(
            "label_value_length_limit exceeded (metric: m, label name: a, value: \"abcd\","
                + " length: 4, limit: 3)");
  }

  @Test
  void parseErrorIsAFailedScrapeNamingTheLine() throws IOException {
    ScrapeLoop l = loop("");
    scrape(l, 1000, "a 1\n", TEXT);
    scrape(l, 2000, "a 1\nb{ 2\n", TEXT);
    assertThat(l.lastError()).startsWith("line 2: ");
    assertThat(stored("a{")).containsExactly("a" + T + " 1000 1.0", "a" + T + " 2000 stale");
    assertThat(stored("up{")).containsExactly("up" + T + " 1000 1.0", "up" + T + " 2000 0.0");
  }

  @Test
  void fetchFailureMarksStaleAndReportsDown() throws IOException {
    ScrapeLoop l = loop("");
    scrape(l, 1000, "a 1\n", TEXT);
    l.scrapeFailed(2000, 0, "connection refused");
    assertThat(l.lastError()).isEqualTo("connection refused");
    assertThat(stored("a{")).containsExactly("a" + T + " 1000 1.0", "a" + T + " 2000 stale");
    assertThat(reportStored())
        .containsExactlyElementsOf(concat(report(1000, 1, 1, 1, 1), report(2000, 0, 0, 0, 0)));
  }

  @Test
  void rejectedSamplesAreCountedNotFatal() throws IOException {
    ScrapeLoop l = loop("");
    scrape(l, 5000, "a 1 4000\nb 1\n", TEXT);
    scrape(l, 6000, "a 2 3000\nb 2\n", TEXT);
    assertThat(l.lastError()).isEmpty();
    assertThat(l.rejectedSamples(SampleRejectedException.Reason.OUT_OF_ORDER)).isEqualTo(1);
    assertThat(stored("a{")).containsExactly("a" + T + " 4000 1.0");
    assertThat(stored("b{")).containsExactly("b" + T + " 5000 1.0", "b" + T + " 6000 2.0");
  }

  @Test
  void markStaleEndsEverySeries() throws IOException {
    ScrapeLoop l = loop("");
    scrape(l, 1000, "a 1\n", TEXT);
    l.markStale(1500);
    assertThat(Stored.samples(head))
        .containsExactlyElementsOf(
            concat(
                List.of("a" + T + " 1000 1.0", "a" + T + " 1500 stale"),
                report(1000, 1, 1, 1, 1),
                ScrapeLoop.REPORT_SERIES.stream().map(n -> n + T + " 1500 stale").toList()));
  }

  @Test
  void steadyTargetReusesSeriesRefs() throws IOException {
    CountingStore counting = new CountingStore(head);
    ScrapeLoop l = loop(counting, "");
    scrape(l, 1000, "a 1\nb{x=\"y\"} 2\n", TEXT);
    assertThat(counting.byLabels).isEqualTo(2 + 5);
    scrape(l, 2000, "a 1\nb{x=\"y\"} 3\n", TEXT);
    assertThat(counting.byLabels).isEqualTo(2 + 5);
  }

  @Test
  void firstScrapeIsAtTheTargetsOffsetWithinTheInterval() {
    assertThat(ScrapeLoop.firstScrape(100_000, 10_000, 3_000)).isEqualTo(103_000);
    assertThat(ScrapeLoop.firstScrape(104_000, 10_000, 3_000)).isEqualTo(113_000);
    assertThat(ScrapeLoop.firstScrape(103_000, 10_000, 3_000)).isEqualTo(113_000);
    assertThat(ScrapeLoop.firstScrape(104_000, 10_000, 23_000)).isEqualTo(113_000);
    // The hash is unsigned.
    long t = ScrapeLoop.firstScrape(104_000, 10_000, -1L);
    assertThat(t).isGreaterThan(104_000).isLessThanOrEqualTo(114_000);
    assertThat(t % 10_000).isEqualTo(Long.remainderUnsigned(-1L, 10_000));
  }

  @Test
  void acceptHeaderFollowsScrapeProtocols() {
    assertThat(
            TargetScraper.acceptHeader(
                List.of("PrometheusText0.0.4", "PrometheusProto", "OpenMetricsText1.0.0")))
        .isEqualTo(
            "text/plain;version=0.0.4;q=0.6,"
                + "application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.5,"
                + "*/*;q=0.4");
    assertThat(TargetScraper.seconds(java.time.Duration.ofSeconds(10))).isEqualTo("10");
    assertThat(TargetScraper.seconds(java.time.Duration.ofMillis(1500))).isEqualTo("1.5");
  }

  @Test
  void blankContentTypeFails() throws IOException {
    ScrapeLoop l = loop("");
    scrape(l, 1000, "a 1\n", "");
    assertThat(l.lastError()).isEqualTo("non-compliant scrape target sending blank Content-Type");
    assertThat(l.health()).isEqualTo(ScrapeLoop.Health.DOWN);
  }

  /** Counts appends that came without a ref. */
  private static final class CountingStore implements AppendableStore {
    final AppendableStore inner;
    int byLabels;

    CountingStore(AppendableStore inner) {
      this.inner = inner;
    }

    @Override
    public Appender appender() {
      Appender a = inner.appender();
      return new Appender() {
        @Override
        public long append(long ref, Labels labels, long t, double v)
            throws SampleRejectedException {
          if (ref == 0) {
            byLabels++;
          }
          return a.append(ref, labels, t, v);
        }

        @Override
        public void commit() throws IOException {
          a.commit();
        }

        @Override
        public void rollback() {
          a.rollback();
        }
      };
    }
  }

  @Test
  void keepsEachFamilysMetadataFromTheLastScrapeThatParsed() throws IOException {
    ScrapeLoop l = loop("");
    scrape(
        l,
        1000,
        """
        # HELP http_requests_total Requests \\\\ served \\x,\\nby code.
        # TYPE http_requests_total counter
        http_requests_total{code="200"} 1
        # TYPE temperature gauge
        temperature 20
        # HELP no_type Only help.
        no_type 1
        untyped 2
        """,
        TEXT);
    assertThat(l.metadata())
        .containsExactly(
            new MetricMetadata(
                "http_requests_total", "counter", "Requests \\ served \\x,\nby code.", ""),
            new MetricMetadata("temperature", "gauge", "", ""),
            new MetricMetadata("no_type", "unknown", "Only help.", ""));
    List<MetricMetadata> first = l.metadata();

    scrape(l, 2000, "# TYPE temperature gauge\ntemperature 20\nbroken{ 1\n", TEXT);
    assertThat(l.metadata()).as("a failed scrape keeps the last").isSameAs(first);

    scrape(l, 3000, "# TYPE bytes gauge\n# UNIT bytes bytes\nbytes 1\n# EOF\n", OM);
    assertThat(l.metadata()).containsExactly(new MetricMetadata("bytes", "gauge", "", "bytes"));
  }

  @Test
  void seriesBeyondTheHeadsLimitAreRefusedAndShownOnTheTarget() throws IOException {
    Head small =
        new Head(new HeadOptions(HeadOptions.DEFAULT_CHUNK_RANGE, 120, 0, true, 8), Journal.NONE);
    ScrapeLoop l = loop(small, "");
    scrape(l, 1000, "a 1\n", TEXT); // a and the five report series: six of eight
    assertThat(l.lastError()).isEmpty();

    scrape(l, 2000, "a 1\nb 2\nc 3\nd 4\n", TEXT);
    assertThat(l.health()).isEqualTo(ScrapeLoop.Health.UP);
    assertThat(l.lastError())
        .isEqualTo(
            "1 new series refused: the store holds its most series"
                + " (--storage.tsdb.max-head-series)");
    assertThat(l.rejectedSamples(SampleRejectedException.Reason.SERIES_LIMIT)).isEqualTo(1);
    assertThat(small.numSeries()).isEqualTo(8);
    assertThat(Stored.samples(small).stream().filter(s -> s.startsWith("d{"))).isEmpty();

    // Series already held keep being stored; a scrape without new ones is clean again.
    scrape(l, 3000, "a 1\nb 2\n", TEXT);
    assertThat(l.lastError()).isEmpty();
    assertThat(Stored.samples(small).stream().filter(s -> s.startsWith("b{"))).hasSize(2);
  }
}
