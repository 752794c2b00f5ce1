package io.meridian.remote;

import io.meridian.model.Labels;
import io.meridian.scrape.MetricMetadata;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Encodes a batch of samples as a remote write body before compression: {@code
 * prometheus.WriteRequest} (1.0, one {@code TimeSeries} per sample, as Prometheus sends it) or
 * {@code io.prometheus.write.v2.Request} (2.0, strings once in the symbol table). The writer and
 * the symbol table are reused from batch to batch.
 */
final class WriteRequestEncoder {
  private final boolean v2;
  private final ProtoWriter out = new ProtoWriter(64 * 1024);
  private final Map<String, Integer> symbols = new HashMap<>();
  private final ProtoWriter table = new ProtoWriter(16 * 1024);
  private int[] refs = new int[64];

  WriteRequestEncoder(boolean v2) {
    this.v2 = v2;
  }

  boolean v2() {
    return v2;
  }

  /** Encodes samples {@code [0, n)}; the result is {@link #array()} up to {@link #length()}. */
  void encode(Labels[] labels, long[] ts, double[] vs, int n) {
    out.reset();
    if (v2) {
      encodeV2(labels, ts, vs, n);
    } else {
      encodeV1(labels, ts, vs, n);
    }
  }

  byte[] array() {
    return out.array();
  }

  int length() {
    return out.length();
  }

  private void encodeV1(Labels[] labels, long[] ts, double[] vs, int n) {
    for (int i = 0; i < n; i++) {
      int series = out.begin(1);
      Labels l = labels[i];
      for (int j = 0; j < l.size(); j++) {
        int label = out.begin(1);
        out.stringField(1, l.name(j)).stringField(2, l.value(j));
        out.end(label);
      }
      int sample = out.begin(2);
      out.doubleField(1, vs[i]).varintField(2, ts[i]);
      out.end(sample);
      out.end(series);
    }
  }

  private void encodeV2(Labels[] labels, long[] ts, double[] vs, int n) {
    symbols.clear();
    table.reset();
    symbol(""); // symbols[0] is the empty string by the protocol
    ProtoWriter series = out;
    for (int i = 0; i < n; i++) {
      Labels l = labels[i];
      int count = 2 * l.size();
      if (refs.length < count) {
        refs = new int[Math.max(count, refs.length * 2)];
      }
      for (int j = 0; j < l.size(); j++) {
        refs[2 * j] = symbol(l.name(j));
        refs[2 * j + 1] = symbol(l.value(j));
      }
      int ts5 = series.begin(5);
      int packed = series.begin(1);
      for (int j = 0; j < count; j++) {
        series.varint(refs[j]);
      }
      series.end(packed);
      int sample = series.begin(2);
      series.doubleField(1, vs[i]).varintField(2, ts[i]);
      series.end(sample);
      series.end(ts5);
    }
    // Field order does not matter on the wire; the symbols go after the series they name.
    out.raw(table.array(), 0, table.length());
  }

  private int symbol(String s) {
    Integer ref = symbols.get(s);
    if (ref != null) {
      return ref;
    }
    int next = symbols.size();
    symbols.put(s, next);
    table.stringField(4, s);
    return next;
  }

  /** Encodes a 1.0 request carrying only metadata, entries {@code [from, to)}. */
  void encodeMetadata(List<MetricMetadata> metadata, int from, int to) {
    out.reset();
    for (int i = from; i < to; i++) {
      MetricMetadata m = metadata.get(i);
      int mm = out.begin(3);
      out.varintField(1, metricType(m.type())).stringField(2, m.family());
      if (!m.help().isEmpty()) {
        out.stringField(4, m.help());
      }
      if (!m.unit().isEmpty()) {
        out.stringField(5, m.unit());
      }
      out.end(mm);
    }
  }

  /** The protocol's {@code MetricType} number of an exposition type name. */
  static int metricType(String type) {
    return switch (type) {
      case "counter" -> 1;
      case "gauge" -> 2;
      case "histogram" -> 3;
      case "gaugehistogram" -> 4;
      case "summary" -> 5;
      case "info" -> 6;
      case "stateset" -> 7;
      default -> 0;
    };
  }
}
