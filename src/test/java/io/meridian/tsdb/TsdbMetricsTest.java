package io.meridian.tsdb;

import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.model.Labels;
import io.meridian.storage.Appender;
import io.meridian.storage.SampleRejectedException;
import io.meridian.testing.ManualClock;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TsdbMetricsTest {
  @TempDir Path dir;

  /** name (with reason label if any) → value, from one scrape. */
  private static Map<String, Double> scrape(PrometheusRegistry r) {
    Map<String, Double> out = new HashMap<>();
    for (MetricSnapshot s : r.scrape()) {
      String name = s.getMetadata().getName();
      if (s instanceof CounterSnapshot c) {
        c.getDataPoints()
            .forEach(d -> {
              String reason = d.getLabels().get("reason");
              out.put(name + "_total" + (reason == null ? "" : "/" + reason), d.getValue());
            });
      } else if (s instanceof GaugeSnapshot g) {
        g.getDataPoints().forEach(d -> out.put(name, d.getValue()));
      }
    }
    return out;
  }

  @Test
  void countsWhatTheTsdbDoes() throws Exception {
    try (Tsdb db = Tsdb.open(dir, TsdbOptions.defaults(), new ManualClock(0))) {
      PrometheusRegistry registry = new PrometheusRegistry();
      TsdbMetrics.register(registry, db);
      Appender app = db.appender();
      Labels a = Labels.of("__name__", "up", "job", "a");
      for (long t = 0; t < 7 * 3_600_000L; t += 15_000) {
        app.append(a, t, 1);
      }
      try {
        app.append(a, 0, 2);
      } catch (SampleRejectedException expected) {
        // counted
      }
      app.commit();
      db.compact();
      Map<String, Double> m = scrape(registry);
      assertThat(m.get("meridian_tsdb_head_series")).isEqualTo(1.0);
      assertThat(m.get("meridian_tsdb_head_samples_appended_total")).isEqualTo(7 * 240.0);
      assertThat(m.get("meridian_tsdb_samples_rejected_total/out_of_order")).isEqualTo(1.0);
      assertThat(m.get("meridian_tsdb_samples_rejected_total/duplicate")).isZero();
      assertThat(m.get("meridian_tsdb_head_compactions_total")).isEqualTo(2.0);
      assertThat(m.get("meridian_tsdb_blocks_loaded")).isEqualTo(2.0);
      assertThat(m.get("meridian_tsdb_head_chunks_created_total")).isPositive();
      assertThat(m)
          .containsKeys(
              "meridian_tsdb_wal_corruptions_total",
              "meridian_tsdb_compactions_total",
              "meridian_tsdb_retention_deleted_blocks_total",
              "meridian_tsdb_blocks_quarantined_total",
              "meridian_tsdb_head_max_time_seconds");
    }
  }
}
