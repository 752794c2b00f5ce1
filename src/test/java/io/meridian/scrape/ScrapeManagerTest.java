package io.meridian.scrape;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ScrapeManagerTest {
  private static final String JOB =
      """
      scrape_configs:
        - job_name: j
          static_configs:
            - targets: [%s]
          relabel_configs:
            - source_labels: [__address__]
              regex: '%s'
              action: keep
      """;

  @Test
  void settingsCompareRelabelRulesByTextAndIgnoreTargets() {
    assertThat(
            ScrapeManager.sameScrapeSettings(
                Configs.scrape(JOB.formatted("'a:1'", "a.*")),
                Configs.scrape(JOB.formatted("'b:1'", "a.*"))))
        .isTrue();
    assertThat(
            ScrapeManager.sameScrapeSettings(
                Configs.scrape(JOB.formatted("'a:1'", "a.*")),
                Configs.scrape(JOB.formatted("'a:1'", "b.*"))))
        .isFalse();
  }
}
