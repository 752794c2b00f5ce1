package io.meridian.cli;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meridian.exposition.ExpositionParser;
import io.meridian.exposition.ParseException;
import io.meridian.exposition.TextFormat;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What the demo's status lines show, read from the roles the way a user would: their {@code
 * /metrics} and their query API. A role that does not answer reads as missing, not an error: the
 * status goes on while a role restarts.
 */
final class DemoStatus {
  /** The guide's query. */
  static final String GUIDE_QUERY =
      "sum(rate(container_cpu_usage_seconds_total{cluster=~\"cluster1|cluster2\"}[5m])) by"
          + " (cluster)";

  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http;

  DemoStatus(HttpClient http) {
    this.http = http;
  }

  /**
   * The sums of the named metrics' series on a role's {@code /metrics}, read once; a metric the
   * role does not show (or a role that does not answer) is absent.
   */
  Map<String, Double> metrics(int port, Set<String> names) {
    Map<String, Double> out = new TreeMap<>();
    try {
      byte[] body = get(URI.create("http://127.0.0.1:" + port + "/metrics")).getBytes(UTF_8);
      ExpositionParser p = new ExpositionParser(body, body.length, TextFormat.PROMETHEUS_0_0_4);
      for (var e = p.next(); e != ExpositionParser.Entry.EOF; e = p.next()) {
        if (e == ExpositionParser.Entry.SERIES) {
          String name = p.labels().metricName();
          if (names.contains(name)) {
            out.merge(name, p.value(), Double::sum);
          }
        }
      }
    } catch (IOException | ParseException | RuntimeException e) {
      // no answer: shown as missing
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return out;
  }

  /** An instant query's answer as label value of {@code by} to value; empty when it fails. */
  Map<String, Double> query(int port, String query, String by) {
    Map<String, Double> out = new TreeMap<>();
    try {
      String body =
          get(
              URI.create(
                  "http://127.0.0.1:"
                      + port
                      + "/api/v1/query?query="
                      + URLEncoder.encode(query, StandardCharsets.UTF_8)));
      for (JsonNode r : JSON.readTree(body).path("data").path("result")) {
        out.put(
            r.path("metric").path(by).asText(""),
            Double.parseDouble(r.path("value").path(1).asText("NaN")));
      }
    } catch (IOException | RuntimeException e) {
      // no answer: shown as empty
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return out;
  }

  private String get(URI uri) throws IOException, InterruptedException {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(3)).build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IOException(uri + ": " + r.statusCode());
    }
    return r.body();
  }
}
