package io.meridian.scrape;

import io.meridian.config.ConfigLoader;
import io.meridian.config.ScrapeConfig;
import java.nio.file.Path;
import java.util.Map;

/** Scrape configs for tests, read from YAML as users write them. */
final class Configs {
  private Configs() {}

  /** The first scrape config of {@code yaml}, a whole config file. */
  static ScrapeConfig scrape(String yaml) {
    try {
      return ConfigLoader.parse(yaml, "test.yml", Path.of("."), Map.of()).scrapeConfigs().get(0);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
