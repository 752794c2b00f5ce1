package io.meridian.web;

import com.fasterxml.jackson.core.JsonGenerator;
import io.meridian.model.Labels;
import io.meridian.scrape.ScrapeLoop;
import io.meridian.scrape.ScrapePool;
import io.meridian.util.PromDuration;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code /api/v1/targets}: every scrape target with its labels, health and last error, and the
 * targets relabelling dropped, in Prometheus's shape; {@code state} (active, dropped, any) and
 * {@code scrapePool} narrow it.
 */
final class Targets {
  private Targets() {}

  static void write(JsonGenerator g, ApiBackend backend, String state, String onlyPool)
      throws IOException {
    String s = state == null || state.isEmpty() ? "any" : state;
    boolean active = s.equals("any") || s.equals("active");
    boolean dropped = s.equals("any") || s.equals("dropped");
    Map<String, ScrapePool> pools = new TreeMap<>(backend.scrapePools().get());
    if (onlyPool != null && !onlyPool.isEmpty()) {
      pools.keySet().retainAll(List.of(onlyPool));
    }
    g.writeStartObject();
    g.writeArrayFieldStart("activeTargets");
    if (active) {
      for (Map.Entry<String, ScrapePool> e : pools.entrySet()) {
        for (ScrapeLoop loop : e.getValue().loops()) {
          activeTarget(g, e.getKey(), loop);
        }
      }
    }
    g.writeEndArray();
    g.writeArrayFieldStart("droppedTargets");
    if (dropped) {
      for (ScrapePool pool : pools.values()) {
        for (Labels l : pool.droppedTargets()) {
          g.writeStartObject();
          g.writeFieldName("discoveredLabels");
          ApiJson.labels(g, l);
          g.writeEndObject();
        }
      }
    }
    g.writeEndArray();
    g.writeObjectFieldStart("droppedTargetCounts");
    for (Map.Entry<String, ScrapePool> e : pools.entrySet()) {
      g.writeNumberField(e.getKey(), e.getValue().droppedTargets().size());
    }
    g.writeEndObject();
    g.writeEndObject();
  }

  private static void activeTarget(JsonGenerator g, String pool, ScrapeLoop loop)
      throws IOException {
    var t = loop.target();
    g.writeStartObject();
    g.writeFieldName("discoveredLabels");
    ApiJson.labels(g, t.discoveredLabels());
    g.writeFieldName("labels");
    ApiJson.labels(g, t.labels());
    g.writeStringField("scrapePool", pool);
    g.writeStringField("scrapeUrl", t.url().toString());
    g.writeStringField("globalUrl", t.url().toString());
    g.writeStringField("lastError", loop.lastError());
    long last = loop.lastScrapeTime();
    g.writeStringField(
        "lastScrape", last == 0 ? "0001-01-01T00:00:00Z" : Instant.ofEpochMilli(last).toString());
    g.writeNumberField("lastScrapeDuration", loop.lastScrapeDuration());
    g.writeStringField(
        "health",
        switch (loop.health()) {
          case UP -> "up";
          case DOWN -> "down";
          case UNKNOWN -> "unknown";
        });
    g.writeStringField("scrapeInterval", PromDuration.format(t.interval()));
    g.writeStringField("scrapeTimeout", PromDuration.format(t.timeout()));
    g.writeEndObject();
  }
}
