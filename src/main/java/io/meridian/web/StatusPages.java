package io.meridian.web;

import com.fasterxml.jackson.core.JsonGenerator;
import io.meridian.model.Labels;
import io.meridian.model.Matcher;
import io.meridian.storage.Querier;
import io.meridian.storage.SelectHints;
import io.meridian.storage.SeriesSet;
import io.meridian.tsdb.head.Head;
import io.meridian.util.BuildInfo;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** {@code /api/v1/status/*}: build, runtime, flags and TSDB cardinality, in Prometheus's shapes. */
final class StatusPages {
  private final ApiBackend backend;
  private final long startTime;

  StatusPages(ApiBackend backend) {
    this.backend = backend;
    this.startTime = backend.clock().millis();
  }

  void buildInfo(JsonGenerator g) throws IOException {
    BuildInfo b = backend.build();
    g.writeStartObject();
    g.writeStringField("version", b.version());
    g.writeStringField("revision", b.revision());
    g.writeStringField("branch", "");
    g.writeStringField("buildUser", "");
    g.writeStringField("buildDate", b.buildDate());
    g.writeStringField("goVersion", "java" + Runtime.version().feature());
    g.writeEndObject();
  }

  void runtimeInfo(JsonGenerator g) throws IOException {
    g.writeStartObject();
    g.writeStringField("startTime", Instant.ofEpochMilli(startTime).toString());
    g.writeStringField("CWD", Path.of("").toAbsolutePath().toString());
    g.writeBooleanField("reloadConfigSuccess", true);
    g.writeStringField("lastConfigTime", Instant.ofEpochMilli(startTime).toString());
    g.writeNumberField("corruptionCount", 0);
    g.writeNumberField("goroutineCount", Thread.activeCount());
    g.writeNumberField("GOMAXPROCS", Runtime.getRuntime().availableProcessors());
    g.writeStringField("GOGC", "");
    g.writeStringField("GODEBUG", "");
    g.writeStringField(
        "storageRetention", backend.flags().getOrDefault("storage.tsdb.retention.time", ""));
    g.writeEndObject();
  }

  void flags(JsonGenerator g) throws IOException {
    g.writeStartObject();
    for (Map.Entry<String, String> e : new TreeMap<>(backend.flags()).entrySet()) {
      g.writeStringField(e.getKey(), e.getValue());
    }
    g.writeEndObject();
  }

  /**
   * Head cardinality: series per metric name, values per label name, series per label pair and
   * bytes of label values per name, each the top {@code limit} (Prometheus stops at 10 whatever is
   * asked: prometheus#11945).
   */
  void tsdb(JsonGenerator g, int limit) throws IOException {
    Head head = backend.tsdb() == null ? null : backend.tsdb().head();
    Map<String, Long> byName = new HashMap<>();
    Map<String, Map<String, Boolean>> valuesByLabel = new HashMap<>();
    Map<String, Long> bytesByLabel = new HashMap<>();
    Map<String, Long> byPair = new HashMap<>();
    long series = 0;
    long minT = head == null ? 0 : head.minTime();
    long maxT = head == null ? 0 : head.maxTime();
    if (head != null && head.numSeries() > 0) {
      try (Querier q = head.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
        SeriesSet set =
            q.select(
                false,
                new SelectHints(Long.MIN_VALUE, Long.MAX_VALUE, 0, "series", 0),
                List.of(Matcher.regex(Labels.METRIC_NAME, ".+")));
        while (set.next()) {
          Labels l = set.at().labels();
          series++;
          String name = l.metricName();
          byName.merge(name == null ? "" : name, 1L, Long::sum);
          for (int i = 0; i < l.size(); i++) {
            String ln = l.name(i);
            String lv = l.value(i);
            if (valuesByLabel.computeIfAbsent(ln, k -> new HashMap<>()).put(lv, Boolean.TRUE)
                == null) {
              bytesByLabel.merge(ln, (long) lv.length(), Long::sum);
            }
            byPair.merge(ln + "=" + lv, 1L, Long::sum);
          }
        }
      }
    }
    Map<String, Long> valueCounts = new HashMap<>();
    valuesByLabel.forEach((k, v) -> valueCounts.put(k, (long) v.size()));
    g.writeStartObject();
    g.writeObjectFieldStart("headStats");
    g.writeNumberField("numSeries", series);
    g.writeNumberField("numLabelPairs", byPair.size());
    g.writeNumberField("chunkCount", 0);
    g.writeNumberField("minTime", minT == Long.MAX_VALUE ? 0 : minT);
    g.writeNumberField("maxTime", maxT == Long.MIN_VALUE ? 0 : maxT);
    g.writeEndObject();
    top(g, "seriesCountByMetricName", byName, limit);
    top(g, "labelValueCountByLabelName", valueCounts, limit);
    top(g, "memoryInBytesByLabelName", bytesByLabel, limit);
    top(g, "seriesCountByLabelValuePair", byPair, limit);
    g.writeEndObject();
  }

  private static void top(JsonGenerator g, String field, Map<String, Long> counts, int limit)
      throws IOException {
    List<Map.Entry<String, Long>> es = new ArrayList<>(counts.entrySet());
    es.sort(
        Map.Entry.<String, Long>comparingByValue()
            .reversed()
            .thenComparing(Map.Entry.comparingByKey()));
    g.writeArrayFieldStart(field);
    for (int i = 0; i < Math.min(limit, es.size()); i++) {
      g.writeStartObject();
      g.writeStringField("name", es.get(i).getKey());
      g.writeNumberField("value", es.get(i).getValue());
      g.writeEndObject();
    }
    g.writeEndArray();
  }
}
