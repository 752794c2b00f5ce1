package io.meridian.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.model.Labels;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The config README's main command runs with stays valid. */
class ExampleConfigTest {
  @Test
  void theReadmesExampleConfigLoads() throws Exception {
    PrometheusConfig c = ConfigLoader.load(Path.of("examples/meridian.yml"));
    assertThat(c.scrapeConfigs())
        .extracting(ScrapeConfig::jobName)
        .containsExactly("meridian", "node");
    assertThat(c.global().externalLabels()).isEqualTo(Labels.of("cluster", "local"));
  }
}
