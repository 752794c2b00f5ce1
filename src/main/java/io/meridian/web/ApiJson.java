package io.meridian.web;

import com.fasterxml.jackson.core.JsonGenerator;
import io.meridian.model.Labels;
import io.meridian.promql.Matrix;
import io.meridian.promql.RangeSeries;
import io.meridian.promql.Sample;
import io.meridian.promql.Scalar;
import io.meridian.promql.StringValue;
import io.meridian.promql.Value;
import io.meridian.promql.Vector;
import io.meridian.util.GoFormat;
import java.io.IOException;

/** Query results in the API's JSON, number for number as Prometheus writes them. */
final class ApiJson {
  private ApiJson() {}

  /** {@code "resultType": ..., "result": ...} of a query's value. */
  static void writeValue(JsonGenerator g, Value v) throws IOException {
    switch (v) {
      case Scalar s -> {
        g.writeStringField("resultType", "scalar");
        g.writeFieldName("result");
        point(g, s.t(), s.v());
      }
      case StringValue s -> {
        g.writeStringField("resultType", "string");
        g.writeFieldName("result");
        g.writeStartArray();
        g.writeRawValue(timestamp(s.t()));
        g.writeString(s.v());
        g.writeEndArray();
      }
      case Vector vec -> {
        g.writeStringField("resultType", "vector");
        g.writeArrayFieldStart("result");
        for (Sample s : vec.samples()) {
          g.writeStartObject();
          g.writeFieldName("metric");
          labels(g, s.labels());
          g.writeFieldName("value");
          point(g, s.t(), s.v());
          g.writeEndObject();
        }
        g.writeEndArray();
      }
      case Matrix m -> {
        g.writeStringField("resultType", "matrix");
        g.writeArrayFieldStart("result");
        for (RangeSeries s : m.series()) {
          g.writeStartObject();
          g.writeFieldName("metric");
          labels(g, s.labels());
          g.writeArrayFieldStart("values");
          for (int i = 0; i < s.size(); i++) {
            point(g, s.t(i), s.v(i));
          }
          g.writeEndArray();
          g.writeEndObject();
        }
        g.writeEndArray();
      }
    }
  }

  static void labels(JsonGenerator g, Labels l) throws IOException {
    g.writeStartObject();
    for (int i = 0; i < l.size(); i++) {
      g.writeStringField(l.name(i), l.value(i));
    }
    g.writeEndObject();
  }

  private static void point(JsonGenerator g, long t, double v) throws IOException {
    g.writeStartArray();
    g.writeRawValue(timestamp(t));
    g.writeString(value(v));
    g.writeEndArray();
  }

  /** Milliseconds as Prometheus writes them: seconds with the milliseconds after a dot. */
  static String timestamp(long t) {
    StringBuilder b = new StringBuilder(20);
    if (t < 0) {
      b.append('-');
      t = -t;
    }
    b.append(t / 1000);
    long frac = t % 1000;
    if (frac != 0) {
      b.append('.');
      if (frac < 100) {
        b.append('0');
      }
      if (frac < 10) {
        b.append('0');
      }
      b.append(frac);
    }
    return b.toString();
  }

  /** A sample value as Prometheus writes it: plain digits, exponent form when tiny or huge. */
  static String value(double v) {
    double a = Math.abs(v);
    return a != 0 && (a < 1e-6 || a >= 1e21) ? GoFormat.e(v) : GoFormat.f(v);
  }
}
