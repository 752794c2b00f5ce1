package io.meridian.web;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.meridian.model.Labels;
import io.meridian.model.Matcher;
import io.meridian.model.NameValidation;
import io.meridian.promql.PromqlException;
import io.meridian.promql.QueryResult;
import io.meridian.promql.parser.ParseException;
import io.meridian.promql.parser.PromqlParser;
import io.meridian.promql.parser.SeriesSelector;
import io.meridian.storage.LabelHints;
import io.meridian.storage.Querier;
import io.meridian.storage.SelectHints;
import io.meridian.storage.SeriesSet;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

/**
 * Prometheus's HTTP API v1 for queries and metadata, with its JSON shapes, parameters (query string
 * or form body, GET or POST) and error format: {@code {"status":"error","errorType":
 * "bad_data","error":"..."}} with 400, 422 or 503.
 */
final class HttpApi extends Handler.Abstract {
  private static final JsonFactory JSON = new JsonFactory();
  private static final String PREFIX = "/api/v1/";

  /** Most points a range query may return per series, as Prometheus limits it. */
  private static final long MAX_POINTS = 11_000;

  private final ApiBackend backend;
  private final StatusPages status;

  HttpApi(ApiBackend backend) {
    this.backend = backend;
    this.status = new StatusPages(backend);
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    String path = Request.getPathInContext(request);
    if (!path.startsWith(PREFIX)) {
      return false;
    }
    String method = request.getMethod();
    if (!HttpMethod.GET.is(method) && !HttpMethod.POST.is(method)) {
      response.setStatus(405);
      callback.succeeded();
      return true;
    }
    Reply reply;
    try {
      ApiParams params = new ApiParams(parameters(request));
      reply = route(path.substring(PREFIX.length()), params);
    } catch (ApiException e) {
      reply = Reply.error(e);
    } catch (ParseException e) {
      reply = Reply.error(ApiException.badParameter("query", e.getMessage()));
    } catch (PromqlException e) {
      reply = Reply.error(fromEngine(e));
    } catch (RuntimeException e) {
      reply = Reply.error(new ApiException("internal", 500, String.valueOf(e)));
    }
    send(response, callback, reply);
    return true;
  }

  private static Fields parameters(Request request) throws Exception {
    try {
      return Request.getParameters(request);
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw ApiException.badData("error parsing form values: " + e.getMessage());
    }
  }

  private Reply route(String path, ApiParams p) throws IOException {
    if (path.startsWith("label/") && path.endsWith("/values")) {
      String name =
          URLDecoder.decode(
              path.substring("label/".length(), path.length() - "/values".length()),
              StandardCharsets.UTF_8);
      return labelValues(name, p);
    }
    if (path.startsWith("admin/")) {
      return admin(path.substring("admin/".length()), p);
    }
    return switch (path) {
      case "query" -> query(p);
      case "query_range" -> queryRange(p);
      case "series" -> series(p);
      case "labels" -> labels(p);
      case "format_query" -> {
        String q = p.get("query");
        String printed = PromqlParser.parse(orEmpty(q)).toString();
        yield Reply.ok(g -> g.writeString(printed));
      }
      case "targets" ->
          Reply.ok(g -> Targets.write(g, backend, p.get("state"), p.get("scrapePool")));
      case "metadata" -> {
        int limit = p.integer("limit", -1);
        int perMetric = p.integer("limit_per_metric", -1);
        String metric = orEmpty(p.get("metric"));
        yield Reply.ok(g -> Metadata.metadata(g, backend, limit, perMetric, metric));
      }
      case "targets/metadata" -> {
        List<Matcher> target = targetSelector(p.get("match_target"));
        int limit = p.integer("limit", -1);
        String metric = orEmpty(p.get("metric"));
        yield Reply.ok(g -> Metadata.targetMetadata(g, backend, target, metric, limit));
      }
      case "query_exemplars" -> queryExemplars(p);
      case "status/config" ->
          Reply.ok(g -> {
            g.writeStartObject();
            g.writeStringField("yaml", backend.configYaml().get());
            g.writeEndObject();
          });
      case "status/buildinfo" -> Reply.ok(status::buildInfo);
      case "status/runtimeinfo" -> Reply.ok(status::runtimeInfo);
      case "status/flags" -> Reply.ok(status::flags);
      case "status/tsdb" -> {
        int limit = p.limit("limit", 10);
        if (limit == 0) {
          throw ApiException.badParameter("limit", "limit must be a positive number");
        }
        yield Reply.ok(g -> status.tsdb(g, limit));
      }
      default -> throw new ApiException("not_found", 404, "unknown API endpoint /api/v1/" + path);
    };
  }

  /**
   * {@code admin/tsdb/delete_series} and {@code admin/tsdb/clean_tombstones}, when enabled:
   * Prometheus answers them with 204 and no body.
   */
  private Reply admin(String path, ApiParams p) throws IOException {
    if (!backend.adminApi()) {
      throw new ApiException("unavailable", 503, "admin APIs disabled");
    }
    if (backend.tsdb() == null) {
      throw new ApiException("unavailable", 503, "no local TSDB");
    }
    switch (path) {
      case "tsdb/delete_series" -> {
        List<List<Matcher>> sels = selectors(p);
        if (sels.isEmpty()) {
          throw ApiException.badData("no match[] parameter provided");
        }
        long start = p.time("start", ApiParams.MIN_TIME);
        long end = p.time("end", ApiParams.MAX_TIME);
        for (List<Matcher> ms : sels) {
          backend.tsdb().delete(start, end, ms);
        }
      }
      case "tsdb/clean_tombstones" -> backend.tsdb().cleanTombstones();
      default ->
          throw new ApiException("not_found", 404, "unknown API endpoint /api/v1/admin/" + path);
    }
    return Reply.NO_CONTENT;
  }

  private Reply query(ApiParams p) {
    String q = p.get("query");
    long now = backend.clock().millis();
    long t = p.time("time", now);
    QueryResult r = backend.engine().instantQuery(backend.storage(), orEmpty(q), t);
    return Reply.result(r);
  }

  private Reply queryRange(ApiParams p) {
    String q = p.get("query");
    long start = required(p, "start");
    long end = required(p, "end");
    if (end < start) {
      throw ApiException.badParameter("end", "end timestamp must not be before start time");
    }
    if (p.get("step") == null) {
      throw ApiException.badParameter("step", "cannot parse \"\" to a valid duration");
    }
    long step = p.duration("step", 0);
    if (step <= 0) {
      throw ApiException.badParameter(
          "step",
          "zero or negative query resolution step widths are not accepted. Try a positive"
              + " integer");
    }
    if ((end - start) / step > MAX_POINTS) {
      throw ApiException.badData(
          "exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query"
              + " resolution (?step=XX)");
    }
    QueryResult r = backend.engine().rangeQuery(backend.storage(), orEmpty(q), start, end, step);
    return Reply.result(r);
  }

  /**
   * Exemplars are read from scrapes but not stored yet, so every valid request has none: the answer
   * Prometheus gives without its exemplar storage. The query and times are still checked.
   */
  private static Reply queryExemplars(ApiParams p) {
    long start = p.time("start", ApiParams.MIN_TIME);
    long end = p.time("end", ApiParams.MAX_TIME);
    if (end < start) {
      throw ApiException.badParameter("end", "end timestamp must not be before start time");
    }
    PromqlParser.parse(orEmpty(p.get("query")));
    return Reply.ok(g -> {
      g.writeStartArray();
      g.writeEndArray();
    });
  }

  private static List<Matcher> targetSelector(String s) {
    if (s == null || s.isEmpty()) {
      return List.of();
    }
    try {
      return SeriesSelector.parse(s);
    } catch (IllegalArgumentException e) {
      throw ApiException.badParameter("match_target", e.getMessage());
    }
  }

  private static String orEmpty(String s) {
    return s == null ? "" : s;
  }

  private static long required(ApiParams p, String name) {
    String v = p.get(name);
    if (v == null || v.isEmpty()) {
      throw ApiException.badParameter(name, "cannot parse \"\" to a valid timestamp");
    }
    return ApiParams.parseTime(name, v);
  }

  /** The {@code match[]} selectors, each refused if all its matchers match the empty string. */
  private static List<List<Matcher>> selectors(ApiParams p) {
    List<List<Matcher>> out = new ArrayList<>();
    for (String s : p.all("match[]")) {
      List<Matcher> ms;
      try {
        ms = SeriesSelector.parse(s);
      } catch (IllegalArgumentException e) {
        throw ApiException.badParameter("match[]", e.getMessage());
      }
      if (ms.stream().allMatch(m -> m.matches(""))) {
        throw ApiException.badParameter(
            "match[]", "match[] must contain at least one non-empty matcher");
      }
      out.add(ms);
    }
    return out;
  }

  private Reply series(ApiParams p) throws IOException {
    List<List<Matcher>> sels = selectors(p);
    if (sels.isEmpty()) {
      throw ApiException.badData("no match[] parameter provided");
    }
    long start = p.time("start", ApiParams.MIN_TIME);
    long end = p.time("end", ApiParams.MAX_TIME);
    int limit = p.limit("limit", 0);
    Set<Labels> found = new LinkedHashSet<>();
    boolean truncated = false;
    List<String> warnings = new ArrayList<>(); // e.g. a remote_read source that failed
    try (Querier q = backend.storage().querier(start, end)) {
      outer:
      for (List<Matcher> ms : sels) {
        SeriesSet set = q.select(true, new SelectHints(start, end, 0, "series", 0), ms);
        while (set.next()) {
          if (limit > 0 && found.size() >= limit && !found.contains(set.at().labels())) {
            truncated = true;
            break outer;
          }
          found.add(set.at().labels());
        }
        warnings.addAll(set.warnings());
      }
    } catch (Exception e) {
      throw rethrow(e);
    }
    List<Labels> sorted = new ArrayList<>(found);
    sorted.sort(null);
    if (truncated) {
      warnings.add("results truncated due to limit");
    }
    return Reply.ok(
        g -> {
          g.writeStartArray();
          for (Labels l : sorted) {
            ApiJson.labels(g, l);
          }
          g.writeEndArray();
        },
        warnings);
  }

  private Reply labels(ApiParams p) throws IOException {
    return names(p, null);
  }

  private Reply labelValues(String name, ApiParams p) throws IOException {
    if (NameValidation.UTF8.labelNameError(name) != null) {
      throw ApiException.badData("invalid label name: \"" + name + "\"");
    }
    return names(p, name);
  }

  /** Label names (label null) or one label's values, over every match[] selector. */
  private Reply names(ApiParams p, String label) throws IOException {
    List<List<Matcher>> sels = selectors(p);
    long start = p.time("start", ApiParams.MIN_TIME);
    long end = p.time("end", ApiParams.MAX_TIME);
    int limit = p.limit("limit", 0);
    List<List<String>> answers = new ArrayList<>();
    try (Querier q = backend.storage().querier(start, end)) {
      if (sels.isEmpty()) {
        sels = List.of(List.of());
      }
      for (List<Matcher> ms : sels) {
        answers.add(
            label == null
                ? q.labelNames(LabelHints.NONE, ms)
                : q.labelValues(label, LabelHints.NONE, ms));
      }
    } catch (Exception e) {
      throw rethrow(e);
    }
    List<String> all = new LabelHints(0).union(answers);
    boolean truncated = limit > 0 && all.size() > limit;
    List<String> out = truncated ? all.subList(0, limit) : all;
    return Reply.ok(
        g -> {
          g.writeStartArray();
          for (String s : out) {
            g.writeString(s);
          }
          g.writeEndArray();
        },
        truncated ? List.of("results truncated due to limit") : List.of());
  }

  private static RuntimeException rethrow(Exception e) {
    if (e instanceof RuntimeException r) {
      return r;
    }
    return new ApiException("internal", 500, String.valueOf(e));
  }

  private static ApiException fromEngine(PromqlException e) {
    return switch (e.kind()) {
      case BAD_DATA -> ApiException.badData(e.getMessage());
      case EXECUTION -> new ApiException("execution", 422, e.getMessage());
      case TIMEOUT -> new ApiException("timeout", 503, e.getMessage());
      case CANCELED -> new ApiException("canceled", 503, e.getMessage());
    };
  }

  /** How to write a reply's {@code data}. */
  @FunctionalInterface
  interface DataWriter {
    void write(JsonGenerator g) throws IOException;
  }

  /** A successful reply (data and annotations) or an error. */
  record Reply(DataWriter data, List<String> warnings, List<String> infos, ApiException error) {
    /** Success with no body (204), as the admin endpoints answer. */
    static final Reply NO_CONTENT = new Reply(null, List.of(), List.of(), null);

    static Reply ok(DataWriter data) {
      return new Reply(data, List.of(), List.of(), null);
    }

    static Reply ok(DataWriter data, List<String> warnings) {
      return new Reply(data, warnings, List.of(), null);
    }

    static Reply result(QueryResult r) {
      return new Reply(
          g -> {
            g.writeStartObject();
            ApiJson.writeValue(g, r.value());
            g.writeEndObject();
          },
          r.warnings(),
          r.infos(),
          null);
    }

    static Reply error(ApiException e) {
      return new Reply(null, List.of(), List.of(), e);
    }
  }

  private static void send(Response response, Callback callback, Reply reply) {
    if (reply.error() == null && reply.data() == null) {
      response.setStatus(204);
      callback.succeeded();
      return;
    }
    ByteArrayOutputStream buf = new ByteArrayOutputStream(256);
    int status = 200;
    try (JsonGenerator g = JSON.createGenerator((OutputStream) buf, JsonEncoding.UTF8)) {
      g.writeStartObject();
      if (reply.error() != null) {
        status = reply.error().status();
        g.writeStringField("status", "error");
        g.writeStringField("errorType", reply.error().type());
        g.writeStringField("error", reply.error().getMessage());
      } else {
        g.writeStringField("status", "success");
        g.writeFieldName("data");
        reply.data().write(g);
        annotations(g, "warnings", reply.warnings());
        annotations(g, "infos", reply.infos());
      }
      g.writeEndObject();
    } catch (IOException | RuntimeException e) {
      buf.reset();
      status = 500;
      buf.writeBytes(
          "{\"status\":\"error\",\"errorType\":\"internal\",\"error\":\"writing the reply\"}"
              .getBytes(StandardCharsets.UTF_8));
    }
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    response.write(true, java.nio.ByteBuffer.wrap(buf.toByteArray()), callback);
  }

  private static void annotations(JsonGenerator g, String field, List<String> list)
      throws IOException {
    if (!list.isEmpty()) {
      g.writeArrayFieldStart(field);
      for (String s : list) {
        g.writeString(s);
      }
      g.writeEndArray();
    }
  }
}
