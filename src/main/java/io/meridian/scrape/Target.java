package io.meridian.scrape;

import io.meridian.model.Labels;
import io.meridian.util.PromDuration;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A scrape target after target relabeling.
 *
 * @param labels what each scraped series gets: the relabeled labels without those starting with
 *     {@code __}; {@code job} and {@code instance} are always there
 * @param scrapeLabels the relabeled labels including the {@code __} ones ({@code __address__},
 *     {@code __scheme__}, {@code __metrics_path__}, {@code __param_*}, intervals), which say how to
 *     scrape
 * @param discoveredLabels the labels before relabeling, as the targets API shows them
 * @param params the job's {@code params}, every value: a {@code __param_<name>} label replaces only
 *     the first value of its parameter, as in Prometheus ({@code match[]} for federation often has
 *     several)
 */
public record Target(
    Labels labels, Labels scrapeLabels, Labels discoveredLabels, Map<String, List<String>> params) {

  public Target {
    params = Map.copyOf(params);
  }

  public Target(Labels labels, Labels scrapeLabels, Labels discoveredLabels) {
    this(labels, scrapeLabels, discoveredLabels, Map.of());
  }

  public static final String ADDRESS = "__address__";
  public static final String SCHEME = "__scheme__";
  public static final String METRICS_PATH = "__metrics_path__";
  public static final String SCRAPE_INTERVAL = "__scrape_interval__";
  public static final String SCRAPE_TIMEOUT = "__scrape_timeout__";
  public static final String PARAM_PREFIX = "__param_";
  public static final String JOB = "job";
  public static final String INSTANCE = "instance";

  /** The scrape interval the target's labels say. */
  public Duration interval() {
    return PromDuration.parse(scrapeLabels.get(SCRAPE_INTERVAL));
  }

  /** The scrape timeout the target's labels say. */
  public Duration timeout() {
    return PromDuration.parse(scrapeLabels.get(SCRAPE_TIMEOUT));
  }

  /**
   * The URL to scrape: scheme, address and metrics path from the labels; the job's params, each
   * {@code __param_<name>} label in place of its parameter's first value (or added).
   */
  public URI url() {
    StringBuilder sb = new StringBuilder();
    sb.append(scrapeLabels.get(SCHEME)).append("://").append(scrapeLabels.get(ADDRESS));
    String path = scrapeLabels.get(METRICS_PATH);
    if (!path.startsWith("/")) {
      sb.append('/');
    }
    sb.append(path);
    Map<String, List<String>> values = new java.util.TreeMap<>();
    params.forEach((k, v) -> values.put(k, new ArrayList<>(v)));
    scrapeLabels.forEach((n, v) -> {
      if (n.startsWith(PARAM_PREFIX)) {
        List<String> vs =
            values.computeIfAbsent(n.substring(PARAM_PREFIX.length()), k -> new ArrayList<>());
        if (vs.isEmpty()) {
          vs.add(v);
        } else {
          vs.set(0, v);
        }
      }
    });
    List<String> query = new ArrayList<>();
    values.forEach((k, vs) -> vs.forEach(v -> query.add(encode(k) + "=" + encode(v))));
    if (!query.isEmpty()) {
      sb.append(path.contains("?") ? '&' : '?').append(String.join("&", query));
    }
    return URI.create(sb.toString());
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return labels.toString();
  }
}
