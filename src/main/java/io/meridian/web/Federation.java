package io.meridian.web;

import io.meridian.exposition.TextWriter;
import io.meridian.model.Labels;
import io.meridian.model.Matcher;
import io.meridian.model.StaleNaN;
import io.meridian.promql.parser.SeriesSelector;
import io.meridian.storage.LabelsMerge;
import io.meridian.storage.Querier;
import io.meridian.storage.SampleIterator;
import io.meridian.storage.SelectHints;
import io.meridian.storage.Series;
import io.meridian.storage.SeriesSet;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

/**
 * {@code /federate}: the newest sample of every series matching any {@code match[]}, within the
 * lookback, as Prometheus serves it — text format, one {@code # TYPE} line per metric name, the
 * external labels added where a series lacks them, stale series left out. The answer is streamed
 * series by series (gzipped when the client accepts it), so a million series need neither a million
 * objects in memory nor the whole body at once.
 */
final class Federation extends Handler.Abstract {
  private final ApiBackend backend;

  Federation(ApiBackend backend) {
    this.backend = backend;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    if (!Request.getPathInContext(request).equals("/federate")) {
      return false;
    }
    List<List<Matcher>> sets = new ArrayList<>();
    Fields params = Request.getParameters(request);
    Fields.Field match = params.get("match[]");
    try {
      for (String s : match == null ? List.<String>of() : match.getValues()) {
        sets.add(SeriesSelector.parse(s));
      }
    } catch (IllegalArgumentException e) {
      error(response, callback, "parse error: " + e.getMessage());
      return true;
    }
    long now = backend.clock().millis();
    long mint = now - backend.engine().options().lookbackDelta().toMillis();
    boolean gzip = acceptsGzip(request);
    response.setStatus(200);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
    if (gzip) {
      response.getHeaders().put(HttpHeader.CONTENT_ENCODING, "gzip");
    }
    try (Querier q = backend.localStorage().querier(mint + 1, now);
        OutputStream raw = Content.Sink.asOutputStream(response);
        OutputStream out =
            new BufferedOutputStream(gzip ? new GZIPOutputStream(raw, 1 << 16) : raw, 1 << 16)) {
      write(q, sets, mint, now, new TextWriter(out));
    }
    callback.succeeded();
    return true;
  }

  private void write(Querier q, List<List<Matcher>> sets, long mint, long maxt, TextWriter w)
      throws IOException {
    List<LabelsMerge.Source<Series>> sources = new ArrayList<>();
    SelectHints hints = new SelectHints(mint + 1, maxt, 0, "", 0);
    for (List<Matcher> ms : sets) {
      SeriesSet set = q.select(true, hints, ms);
      sources.add(new LabelsMerge.Source<>(set::next, set::at, set::warnings));
    }
    // The same series matched by two selectors is written once.
    LabelsMerge<Series> merged = new LabelsMerge<>(sources, Series::labels, List::getFirst, 0);
    Labels external = backend.externalLabels().get();
    String family = null;
    SampleIterator it = null;
    while (merged.next()) {
      Series s = merged.at();
      it = s.iterator(it);
      long t = Long.MIN_VALUE;
      double v = 0;
      while (it.next()) {
        if (it.t() > mint && it.t() <= maxt) {
          t = it.t();
          v = it.v();
        }
      }
      if (t == Long.MIN_VALUE || StaleNaN.is(v)) {
        continue;
      }
      Labels l = withExternal(s.labels(), external);
      String name = l.metricName();
      if (name != null && !name.equals(family)) {
        w.type(name, "untyped");
        family = name;
      }
      w.sample(l, v, t);
    }
  }

  private static Labels withExternal(Labels l, Labels external) {
    if (external.isEmpty()) {
      return l;
    }
    Labels.Builder b = null;
    for (int i = 0; i < external.size(); i++) {
      if (l.get(external.name(i)) == null) {
        if (b == null) {
          b = l.toBuilder();
        }
        b.set(external.name(i), external.value(i));
      }
    }
    return b == null ? l : b.build();
  }

  private static boolean acceptsGzip(Request request) {
    String ae = request.getHeaders().get(HttpHeader.ACCEPT_ENCODING);
    return ae != null && ae.contains("gzip");
  }

  private static void error(Response response, Callback callback, String message) {
    response.setStatus(400);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
    response.write(
        true, ByteBuffer.wrap((message + "\n").getBytes(StandardCharsets.UTF_8)), callback);
  }
}
