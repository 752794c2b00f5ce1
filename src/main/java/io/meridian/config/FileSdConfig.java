package io.meridian.config;

import java.time.Duration;
import java.util.List;

/**
 * One entry of {@code file_sd_configs}.
 *
 * @param files paths or globs ({@code *} in the last element only), joined to the config's
 *     directory
 */
public record FileSdConfig(List<String> files, Duration refreshInterval) {
  public FileSdConfig {
    files = List.copyOf(files);
  }

  public static final Duration DEFAULT_REFRESH_INTERVAL = Duration.ofMinutes(5);
}
