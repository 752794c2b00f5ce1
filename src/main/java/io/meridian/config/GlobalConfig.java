package io.meridian.config;

import io.meridian.model.Labels;
import java.time.Duration;
import java.util.List;

/**
 * The {@code global} section.
 *
 * @param externalLabels with {@code $VAR} and {@code ${VAR}} expanded from the environment, as
 *     Prometheus 3 does
 * @param queryLogFile "" for none
 * @param scrapeProtocols the protocols to ask targets for, most wanted first; empty when not set
 *     (each scrape config then takes Prometheus's default list)
 * @param limits the default scrape limits; 0 is no limit
 */
public record GlobalConfig(
    Duration scrapeInterval,
    Duration scrapeTimeout,
    Duration evaluationInterval,
    Labels externalLabels,
    String queryLogFile,
    List<String> scrapeProtocols,
    ScrapeLimits limits) {

  public GlobalConfig {
    scrapeProtocols = List.copyOf(scrapeProtocols);
  }

  public static final Duration DEFAULT_SCRAPE_INTERVAL = Duration.ofMinutes(1);
  public static final Duration DEFAULT_SCRAPE_TIMEOUT = Duration.ofSeconds(10);
  public static final Duration DEFAULT_EVALUATION_INTERVAL = Duration.ofMinutes(1);

  public static final GlobalConfig DEFAULT =
      new GlobalConfig(
          DEFAULT_SCRAPE_INTERVAL,
          DEFAULT_SCRAPE_TIMEOUT,
          DEFAULT_EVALUATION_INTERVAL,
          Labels.EMPTY,
          "",
          List.of(),
          ScrapeLimits.NONE);
}
