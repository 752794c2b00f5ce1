package io.meridian.config;

import io.meridian.relabel.RelabelRule;
import java.time.Duration;
import java.util.List;

/** The {@code alerting} section. */
public record AlertingConfig(
    List<RelabelRule> alertRelabelConfigs, List<AlertmanagerConfig> alertmanagers) {

  public AlertingConfig {
    alertRelabelConfigs = List.copyOf(alertRelabelConfigs);
    alertmanagers = List.copyOf(alertmanagers);
  }

  public static final AlertingConfig EMPTY = new AlertingConfig(List.of(), List.of());

  /**
   * One entry of {@code alertmanagers}.
   *
   * @param apiVersion {@code v2}, the only version Prometheus 3 accepts
   */
  public record AlertmanagerConfig(
      String scheme,
      String pathPrefix,
      Duration timeout,
      String apiVersion,
      HttpClientConfig httpClient,
      List<StaticConfig> staticConfigs,
      List<FileSdConfig> fileSdConfigs,
      List<RelabelRule> relabelConfigs,
      List<RelabelRule> alertRelabelConfigs) {

    public AlertmanagerConfig {
      staticConfigs = List.copyOf(staticConfigs);
      fileSdConfigs = List.copyOf(fileSdConfigs);
      relabelConfigs = List.copyOf(relabelConfigs);
      alertRelabelConfigs = List.copyOf(alertRelabelConfigs);
    }

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
  }
}
