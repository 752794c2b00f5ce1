package io.meridian.config;

import io.meridian.relabel.RelabelRule;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One entry of {@code scrape_configs}, with the global defaults applied.
 *
 * @param scrapeProtocols the protocols to ask targets for, most wanted first
 * @param params query parameters added to each scrape, each with one or more values
 */
public record ScrapeConfig(
    String jobName,
    Duration scrapeInterval,
    Duration scrapeTimeout,
    List<String> scrapeProtocols,
    String metricsPath,
    String scheme,
    Map<String, List<String>> params,
    boolean honorLabels,
    boolean honorTimestamps,
    boolean trackTimestampsStaleness,
    boolean enableCompression,
    ScrapeLimits limits,
    HttpClientConfig httpClient,
    List<StaticConfig> staticConfigs,
    List<FileSdConfig> fileSdConfigs,
    List<RelabelRule> relabelConfigs,
    List<RelabelRule> metricRelabelConfigs) {

  public ScrapeConfig {
    scrapeProtocols = List.copyOf(scrapeProtocols);
    params = Map.copyOf(params);
    staticConfigs = List.copyOf(staticConfigs);
    fileSdConfigs = List.copyOf(fileSdConfigs);
    relabelConfigs = List.copyOf(relabelConfigs);
    metricRelabelConfigs = List.copyOf(metricRelabelConfigs);
  }

  public static final String DEFAULT_METRICS_PATH = "/metrics";

  /** Prometheus's default {@code scrape_protocols}, most wanted first. */
  public static final List<String> DEFAULT_SCRAPE_PROTOCOLS =
      List.of(
          "OpenMetricsText1.0.0",
          "OpenMetricsText0.0.1",
          "PrometheusText1.0.0",
          "PrometheusText0.0.4");
}
