package io.meridian.config;

import java.util.List;

/**
 * A Prometheus configuration file, validated, defaults filled in, relative paths resolved against
 * the file's directory. Read one with {@link ConfigLoader}.
 *
 * @param ruleFiles rule file paths and globs, as written but joined to the config's directory
 */
public record PrometheusConfig(
    GlobalConfig global,
    List<String> ruleFiles,
    List<ScrapeConfig> scrapeConfigs,
    List<RemoteWriteConfig> remoteWrite,
    List<RemoteReadConfig> remoteRead,
    AlertingConfig alerting,
    StorageConfig storage) {

  public PrometheusConfig {
    ruleFiles = List.copyOf(ruleFiles);
    scrapeConfigs = List.copyOf(scrapeConfigs);
    remoteWrite = List.copyOf(remoteWrite);
    remoteRead = List.copyOf(remoteRead);
  }

  /** What an empty file means. */
  public static final PrometheusConfig DEFAULT =
      new PrometheusConfig(
          GlobalConfig.DEFAULT,
          List.of(),
          List.of(),
          List.of(),
          List.of(),
          AlertingConfig.EMPTY,
          StorageConfig.DEFAULT);
}
