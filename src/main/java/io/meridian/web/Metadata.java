package io.meridian.web;

import com.fasterxml.jackson.core.JsonGenerator;
import io.meridian.model.Labels;
import io.meridian.model.Matcher;
import io.meridian.scrape.MetricMetadata;
import io.meridian.scrape.ScrapeLoop;
import io.meridian.scrape.ScrapePool;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@code /api/v1/metadata} (each metric family's type, help and unit over all targets, identical
 * entries merged, families in name order) and {@code /api/v1/targets/metadata} (per target), from
 * what the scrape loops kept of their last scrape.
 */
final class Metadata {
  private Metadata() {}

  private record Entry(String type, String help, String unit) {}

  /**
   * @param limit most families, negative for all (as Prometheus: 0 gives none)
   * @param perMetric most entries per family, negative for all
   * @param metric only this family, "" for every one
   */
  static void metadata(JsonGenerator g, ApiBackend backend, int limit, int perMetric, String metric)
      throws IOException {
    Map<String, Set<Entry>> families = new TreeMap<>();
    for (ScrapeLoop loop : loops(backend)) {
      for (MetricMetadata m : loop.metadata()) {
        if (metric.isEmpty() || metric.equals(m.family())) {
          families
              .computeIfAbsent(m.family(), f -> new LinkedHashSet<>())
              .add(new Entry(m.type(), m.help(), m.unit()));
        }
      }
    }
    g.writeStartObject();
    int n = 0;
    for (Map.Entry<String, Set<Entry>> f : families.entrySet()) {
      if (limit >= 0 && n++ >= limit) {
        break;
      }
      g.writeArrayFieldStart(f.getKey());
      int k = 0;
      for (Entry e : f.getValue()) {
        if (perMetric >= 0 && k++ >= perMetric) {
          break;
        }
        g.writeStartObject();
        g.writeStringField("type", e.type());
        g.writeStringField("help", e.help());
        g.writeStringField("unit", e.unit());
        g.writeEndObject();
      }
      g.writeEndArray();
    }
    g.writeEndObject();
  }

  /**
   * @param matchTarget matchers on the target's labels; empty for every target
   * @param limit most entries, negative for all
   */
  static void targetMetadata(
      JsonGenerator g, ApiBackend backend, List<Matcher> matchTarget, String metric, int limit)
      throws IOException {
    g.writeStartArray();
    int n = 0;
    outer:
    for (ScrapeLoop loop : loops(backend)) {
      Labels labels = loop.target().labels();
      if (!matchTarget.stream().allMatch(m -> m.matches(labels))) {
        continue;
      }
      for (MetricMetadata m : loop.metadata()) {
        if (!metric.isEmpty() && !metric.equals(m.family())) {
          continue;
        }
        if (limit >= 0 && n++ >= limit) {
          break outer;
        }
        g.writeStartObject();
        g.writeFieldName("target");
        ApiJson.labels(g, labels);
        if (metric.isEmpty()) {
          g.writeStringField("metric", m.family());
        }
        g.writeStringField("type", m.type());
        g.writeStringField("help", m.help());
        g.writeStringField("unit", m.unit());
        g.writeEndObject();
      }
    }
    g.writeEndArray();
  }

  private static List<ScrapeLoop> loops(ApiBackend backend) {
    List<ScrapeLoop> out = new ArrayList<>();
    for (ScrapePool pool : new TreeMap<>(backend.scrapePools().get()).values()) {
      out.addAll(pool.loops());
    }
    return out;
  }
}
