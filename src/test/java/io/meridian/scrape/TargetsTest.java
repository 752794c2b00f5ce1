package io.meridian.scrape;

import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.config.ScrapeConfig;
import io.meridian.discovery.TargetGroup;
import io.meridian.model.Labels;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class TargetsTest {

  @Test
  void appliesDefaultsAndGroupLabels() {
    ScrapeConfig cfg =
        Configs.scrape(
            """
            scrape_configs:
              - job_name: node
                scrape_interval: 15s
                scrape_timeout: 5s
                params:
                  module: [if_mib, other]
                static_configs:
                  - targets: ['a:9100']
                    labels: {env: prod}
                  - targets: ['b:9100']
                    labels: {env: prod, __param_module: replaced}
            """);
    Targets ts = Targets.of(cfg);
    assertThat(ts.errors()).isEmpty();
    assertThat(ts.dropped()).isEmpty();
    assertThat(ts.active()).hasSize(2);
    Target a = ts.active().get(0);
    assertThat(a.labels()).isEqualTo(Labels.of("job", "node", "instance", "a:9100", "env", "prod"));
    assertThat(a.scrapeLabels().get("__scrape_interval__")).isEqualTo("15s");
    assertThat(a.scrapeLabels().get("__scrape_timeout__")).isEqualTo("5s");
    assertThat(a.scrapeLabels().get("__param_module")).isEqualTo("if_mib");
    assertThat(a.interval()).isEqualTo(Duration.ofSeconds(15));
    assertThat(a.timeout()).isEqualTo(Duration.ofSeconds(5));
    // Every value of a param is sent, as Prometheus sends them.
    assertThat(a.url()).hasToString("http://a:9100/metrics?module=if_mib&module=other");
    assertThat(ts.active().get(1).url())
        .hasToString("http://b:9100/metrics?module=replaced&module=other");
    assertThat(a.discoveredLabels().get("__address__")).isEqualTo("a:9100");
    assertThat(a.discoveredLabels().get("__scheme__")).isEqualTo("http");
  }

  @Test
  void federationSendsEveryMatch() {
    ScrapeConfig cfg =
        Configs.scrape(
            """
            scrape_configs:
              - job_name: federate
                honor_labels: true
                metrics_path: /federate
                params:
                  'match[]':
                    - '{job="kubernetes-nodes"}'
                    - '{job="kubernetes-pods"}'
                static_configs:
                  - targets: ['c1:9090']
                  - targets: ['c2:9090']
                    labels: {__param_extra: x}
            """);
    Targets ts = Targets.of(cfg);
    assertThat(ts.active().get(0).url())
        .hasToString(
            "http://c1:9090/federate?match%5B%5D=%7Bjob%3D%22kubernetes-nodes%22%7D"
                + "&match%5B%5D=%7Bjob%3D%22kubernetes-pods%22%7D");
    assertThat(ts.active().get(1).url().getRawQuery())
        .isEqualTo(
            "extra=x&match%5B%5D=%7Bjob%3D%22kubernetes-nodes%22%7D"
                + "&match%5B%5D=%7Bjob%3D%22kubernetes-pods%22%7D");
  }

  @Test
  void relabelingRewritesDropsAndSetsInstance() {
    ScrapeConfig cfg =
        Configs.scrape(
            """
            scrape_configs:
              - job_name: probe
                metrics_path: /probe
                static_configs:
                  - targets: ['example.com', 'drop.me']
                relabel_configs:
                  - source_labels: [__address__]
                    regex: drop\\.me
                    action: drop
                  - source_labels: [__address__]
                    target_label: __param_target
                  - source_labels: [__param_target]
                    target_label: instance
                  - target_label: __address__
                    replacement: exporter:9115
                  - target_label: __scheme__
                    replacement: https
            """);
    Targets ts = Targets.of(cfg);
    assertThat(ts.errors()).isEmpty();
    assertThat(ts.active()).hasSize(1);
    Target t = ts.active().get(0);
    assertThat(t.labels()).isEqualTo(Labels.of("job", "probe", "instance", "example.com"));
    assertThat(t.url()).hasToString("https://exporter:9115/probe?target=example.com");
    assertThat(ts.dropped()).hasSize(1);
    assertThat(ts.dropped().get(0).get("__address__")).isEqualTo("drop.me");
    assertThat(ts.dropped().get(0).get("job")).isEqualTo("probe");
  }

  @Test
  void targetLabelsWinOverDefaults() {
    ScrapeConfig cfg =
        Configs.scrape(
            """
            scrape_configs:
              - job_name: j
                static_configs:
                  - targets: ['h:1']
                    labels: {job: other, __metrics_path__: /m, __scrape_interval__: 30s}
            """);
    Target t = Targets.of(cfg).active().get(0);
    assertThat(t.labels().get("job")).isEqualTo("other");
    assertThat(t.url()).hasToString("http://h:1/m");
    assertThat(t.interval()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void badTargetsAreErrors() {
    ScrapeConfig cfg =
        Configs.scrape(
            """
            scrape_configs:
              - job_name: j
                scrape_interval: 10s
                static_configs:
                  - targets: ['h:1', 'ok:1']
                  - targets: ['t:1']
                    labels: {__scrape_timeout__: 20s}
                  - targets: ['u:1']
                    labels: {__scrape_interval__: soon}
                relabel_configs:
                  - source_labels: [__address__]
                    regex: h:1
                    target_label: __address__
                    replacement: h:1/path
            """);
    Targets ts = Targets.of(cfg);
    assertThat(ts.active()).extracting(t -> t.labels().get("instance")).containsExactly("ok:1");
    assertThat(ts.errors())
        .containsExactly(
            "instance h:1: \"h:1/path\" is not a valid hostname",
            "instance t:1: scrape timeout cannot be greater than scrape interval (\"20s\" > \"10s\")",
            "instance u:1: error parsing __scrape_interval__: not a valid duration string: \"soon\"");
  }

  @Test
  void relabelingAwayTheAddressIsAnError() {
    ScrapeConfig cfg =
        Configs.scrape(
            """
            scrape_configs:
              - job_name: j
                static_configs:
                  - targets: ['h:1']
                relabel_configs:
                  - action: labeldrop
                    regex: __address__
            """);
    assertThat(Targets.of(cfg).errors()).containsExactly("instance h:1: no address");
  }

  @Test
  void duplicateTargetsAreScrapedOnce() {
    ScrapeConfig cfg =
        Configs.scrape(
            """
            scrape_configs:
              - job_name: j
                static_configs:
                  - targets: ['h:1', 'h:1']
            """);
    assertThat(Targets.of(cfg).active()).hasSize(1);
  }

  @Test
  void discoveredGroupsFollowStaticOnesWithTheirLabelsAppliedAlike() {
    ScrapeConfig cfg =
        Configs.scrape(
            """
            scrape_configs:
              - job_name: j
                static_configs:
                  - targets: ['s:1']
                file_sd_configs:
                  - files: [t.json]
                relabel_configs:
                  - source_labels: [__meta_filepath]
                    regex: '.*/(.*)[.]json'
                    target_label: file
                  - source_labels: [__address__]
                    regex: 'drop:.*'
                    action: drop
            """);
    Labels group = Labels.of("env", "prod", "__meta_filepath", "/sd/t.json");
    Targets ts =
        Targets.of(
            cfg,
            List.of(
                new TargetGroup(
                    "/sd/t.json:0",
                    List.of(
                        Labels.of("__address__", "f:1"),
                        Labels.of("__address__", "f:2", "env", "dev"),
                        Labels.of("__address__", "drop:1")),
                    group)));
    assertThat(ts.active())
        .extracting(Target::labels)
        .containsExactly(
            Labels.of("job", "j", "instance", "s:1"),
            Labels.of("job", "j", "instance", "f:1", "env", "prod", "file", "t"),
            Labels.of("job", "j", "instance", "f:2", "env", "dev", "file", "t"));
    Target f1 = ts.active().get(1);
    assertThat(f1.discoveredLabels().get("__meta_filepath")).isEqualTo("/sd/t.json");
    assertThat(f1.scrapeLabels().has("__meta_filepath")).isFalse();
    assertThat(ts.dropped())
        .singleElement()
        .satisfies(d -> {
          assertThat(d.get("__address__")).isEqualTo("drop:1");
          assertThat(d.get("__meta_filepath")).isEqualTo("/sd/t.json");
        });
  }
}
