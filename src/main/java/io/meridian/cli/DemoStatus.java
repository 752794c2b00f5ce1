package io.meridian.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the demo's status lines show, read from the roles the way a user would: their {@code
 * /metrics} and their query API. A role that does not answer reads as NaN, not an error: the status
 * goes on while a role restarts.
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

  /** The sum of a metric's series on a role's {@code /metrics}, NaN when it does not answer. */
  double metric(int port, String name) {
    try {
      String body = get(URI.create("http://127.0.0.1:" + port + "/metrics"));
      double sum = 0;
      boolean found = false;
      for (String line : body.split("\n", -1)) {
        if (line.startsWith(name) && (line.length() > name.length())) {
          char c = line.charAt(name.length());
          if (c == ' ' || c == '{') {
            sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            found = true;
          }
        }
      }
      return found ? sum : Double.NaN;
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Double.NaN;
    }
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
