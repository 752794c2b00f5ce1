package io.meridian.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.config.AlertingConfig.AlertmanagerConfig;
import io.meridian.config.HttpClientConfig.Authorization;
import io.meridian.config.HttpClientConfig.BasicAuth;
import io.meridian.config.HttpClientConfig.TlsConfig;
import io.meridian.config.RemoteWriteConfig.MetadataConfig;
import io.meridian.config.RemoteWriteConfig.QueueConfig;
import io.meridian.model.Labels;
import io.meridian.relabel.RelabelAction;
import io.meridian.relabel.RelabelRule;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  private static final Path FULL = Path.of("src/test/resources/config/full.yml");
  private static final String DIR = "src/test/resources/config/";

  static PrometheusConfig parse(String yaml) throws ConfigException {
    return ConfigLoader.parse(yaml, "test.yml", Path.of("/etc/prom"), Map.of());
  }

  @Test
  void fullConfigLoadsEveryField() throws Exception {
    PrometheusConfig c = ConfigLoader.load(FULL, Map.of("REPLICA", "r0"));

    GlobalConfig g = c.global();
    assertThat(g.scrapeInterval()).isEqualTo(Duration.ofSeconds(30));
    assertThat(g.scrapeTimeout()).isEqualTo(Duration.ofSeconds(20));
    assertThat(g.evaluationInterval()).isEqualTo(Duration.ofSeconds(45));
    assertThat(g.queryLogFile()).isEqualTo(DIR + "logs/query.log");
    assertThat(g.scrapeProtocols()).containsExactly("PrometheusText0.0.4", "OpenMetricsText1.0.0");
    assertThat(g.externalLabels()).isEqualTo(Labels.of("cluster", "eu-1", "replica", "r0"));
    assertThat(g.limits()).isEqualTo(new ScrapeLimits(5000, 0, 0, 0, 0, 20L << 20));

    assertThat(c.ruleFiles()).containsExactly(DIR + "rules/*.yml", "/etc/meridian/alerts.yml");
    assertThat(c.scrapeConfigs())
        .extracting(ScrapeConfig::jobName)
        .containsExactly("node", "api", "legacy-bearer");

    ScrapeConfig node = c.scrapeConfigs().get(0);
    assertThat(node.scrapeInterval()).isEqualTo(Duration.ofSeconds(15));
    assertThat(node.scrapeTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(node.scrapeProtocols()).isEqualTo(g.scrapeProtocols());
    assertThat(node.metricsPath()).isEqualTo("/probe");
    assertThat(node.scheme()).isEqualTo("https");
    assertThat(node.params()).isEqualTo(Map.of("module", List.of("http_2xx", "tcp")));
    assertThat(node.honorLabels()).isTrue();
    assertThat(node.honorTimestamps()).isFalse();
    assertThat(node.limits())
        .isEqualTo(new ScrapeLimits(1000, 10, 64, 128, 2048, (1L << 30) + (512L << 20)));
    HttpClientConfig http = node.httpClient();
    assertThat(http.basicAuth())
        .contains(new BasicAuth("scraper", "", "", DIR + "secrets/scrape-password"));
    assertThat(http.authorization()).isEmpty();
    assertThat(http.tls())
        .isEqualTo(
            new TlsConfig(
                DIR + "tls/ca.crt",
                DIR + "tls/client.crt",
                DIR + "tls/client.key",
                "node.internal",
                true,
                "TLS12"));
    assertThat(http.followRedirects()).isFalse();
    assertThat(http.enableHttp2()).isFalse();
    assertThat(node.staticConfigs())
        .containsExactly(
            new StaticConfig(List.of("node-1:9100", "node-2:9100"), Labels.of("rack", "r1")),
            new StaticConfig(List.of("node-3:9100"), Labels.EMPTY));
    assertThat(node.fileSdConfigs())
        .containsExactly(
            new FileSdConfig(
                List.of(DIR + "targets/*.json", DIR + "more.yaml"), Duration.ofMinutes(1)));

    List<RelabelRule> rules = node.relabelConfigs();
    assertThat(rules).hasSize(3);
    RelabelRule r0 = rules.get(0);
    assertThat(r0.sourceLabels()).containsExactly("__address__", "rack");
    assertThat(r0.separator()).isEqualTo("@");
    assertThat(r0.regexText()).isEqualTo("(.+)@(.+)");
    assertThat(r0.regex().matcher("a@b").matches()).isTrue();
    assertThat(r0.targetLabel()).isEqualTo("instance");
    assertThat(r0.replacement()).isEqualTo("$1/$2");
    assertThat(r0.action()).isEqualTo(RelabelAction.REPLACE);
    assertThat(rules.get(1).action()).isEqualTo(RelabelAction.HASHMOD);
    assertThat(rules.get(1).modulus()).isEqualTo(4);
    assertThat(rules.get(2).action()).isEqualTo(RelabelAction.KEEP);
    assertThat(node.metricRelabelConfigs())
        .singleElement()
        .satisfies(r -> assertThat(r.action()).isEqualTo(RelabelAction.LABELDROP));

    ScrapeConfig api = c.scrapeConfigs().get(1);
    assertThat(api.scrapeInterval()).isEqualTo(Duration.ofSeconds(30));
    assertThat(api.scrapeTimeout()).isEqualTo(Duration.ofSeconds(20));
    assertThat(api.limits()).isEqualTo(g.limits());
    assertThat(api.httpClient().authorization())
        .contains(new Authorization("Bearer", "", DIR + "secrets/token"));
    assertThat(c.scrapeConfigs().get(2).httpClient().authorization())
        .contains(new Authorization("Bearer", "abc123", ""));

    AlertingConfig alerting = c.alerting();
    assertThat(alerting.alertRelabelConfigs()).hasSize(1);
    AlertmanagerConfig am = alerting.alertmanagers().getFirst();
    assertThat(am.scheme()).isEqualTo("https");
    assertThat(am.pathPrefix()).isEqualTo("/am");
    assertThat(am.timeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(am.apiVersion()).isEqualTo("v2");
    assertThat(am.httpClient().authorization()).contains(new Authorization("Token", "s3cret", ""));
    assertThat(am.staticConfigs().getFirst().targets()).containsExactly("am-1:9093", "am-2:9093");

    RemoteWriteConfig rw = c.remoteWrite().getFirst();
    assertThat(rw.url()).isEqualTo(URI.create("https://receiver.example/api/v1/write"));
    assertThat(rw.name()).isEqualTo("central");
    assertThat(rw.remoteTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(rw.headers()).isEqualTo(Map.of("X-Scope-OrgID", "team-a"));
    assertThat(rw.writeRelabelConfigs())
        .singleElement()
        .satisfies(r -> assertThat(r.action()).isEqualTo(RelabelAction.DROP));
    assertThat(rw.httpClient().basicAuth()).contains(new BasicAuth("writer", "", "pw", ""));
    assertThat(rw.httpClient().tls().insecureSkipVerify()).isTrue();
    assertThat(rw.httpClient().enableHttp2()).isFalse();
    assertThat(rw.queue())
        .isEqualTo(
            new QueueConfig(
                20000,
                2,
                100,
                5000,
                Duration.ofSeconds(10),
                Duration.ofMillis(100),
                Duration.ofSeconds(10),
                true));
    assertThat(rw.metadata()).isEqualTo(new MetadataConfig(false, Duration.ofMinutes(2), 100));
    assertThat(rw.protobufMessage()).isEqualTo(RemoteWriteConfig.PROTOBUF_V2);

    RemoteReadConfig rr = c.remoteRead().getFirst();
    assertThat(rr.url()).isEqualTo(URI.create("http://store.example:9090/api/v1/read"));
    assertThat(rr.name()).isEqualTo("archive");
    assertThat(rr.remoteTimeout()).isEqualTo(Duration.ofMinutes(2));
    assertThat(rr.readRecent()).isTrue();
    assertThat(rr.requiredMatchers()).isEqualTo(Labels.of("tier", "cold"));
    assertThat(rr.headers()).isEqualTo(Map.of("X-Tenant", "a"));
    assertThat(rr.filterExternalLabels()).isTrue();
    assertThat(rr.httpClient().authorization())
        .contains(new Authorization("Bearer", "", DIR + "secrets/read-token"));

    assertThat(c.storage().outOfOrderTimeWindow()).isEqualTo(Duration.ofMinutes(30));
  }

  @Test
  void emptyFileIsPrometheusDefaults() throws Exception {
    assertThat(parse("")).isEqualTo(PrometheusConfig.DEFAULT);
    assertThat(parse("# only a comment\n")).isEqualTo(PrometheusConfig.DEFAULT);
    assertThat(parse("global:\nscrape_configs:\n")).isEqualTo(PrometheusConfig.DEFAULT);
    GlobalConfig g = PrometheusConfig.DEFAULT.global();
    assertThat(g.scrapeInterval()).isEqualTo(Duration.ofMinutes(1));
    assertThat(g.scrapeTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(g.evaluationInterval()).isEqualTo(Duration.ofMinutes(1));
  }

  @Test
  void scrapeConfigDefaults() throws Exception {
    ScrapeConfig s = parse("scrape_configs:\n  - job_name: a\n").scrapeConfigs().getFirst();
    assertThat(s.scrapeInterval()).isEqualTo(Duration.ofMinutes(1));
    assertThat(s.scrapeTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(s.scrapeProtocols()).isEqualTo(ScrapeConfig.DEFAULT_SCRAPE_PROTOCOLS);
    assertThat(s.metricsPath()).isEqualTo("/metrics");
    assertThat(s.scheme()).isEqualTo("http");
    assertThat(s.honorLabels()).isFalse();
    assertThat(s.honorTimestamps()).isTrue();
    assertThat(s.enableCompression()).isTrue();
    assertThat(s.limits()).isEqualTo(ScrapeLimits.NONE);
    assertThat(s.httpClient()).isEqualTo(HttpClientConfig.DEFAULT);
    assertThat(s.staticConfigs()).isEmpty();
  }

  @Test
  void timeoutDefaultsToTheSmallerOfGlobalTimeoutAndInterval() throws Exception {
    PrometheusConfig c =
        parse(
            """
            global:
              scrape_interval: 5s
            scrape_configs:
              - job_name: a
              - job_name: b
                scrape_interval: 2m
            """);
    assertThat(c.global().scrapeTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(c.scrapeConfigs().get(0).scrapeTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(c.scrapeConfigs().get(1).scrapeTimeout()).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void otherSectionDefaults() throws Exception {
    PrometheusConfig c =
        parse(
            """
            remote_write:
              - url: http://a/w
            remote_read:
              - url: http://a/r
            alerting:
              alertmanagers:
                - static_configs: [{targets: [am:9093]}]
            scrape_configs:
              - job_name: f
                file_sd_configs:
                  - files: [t.json]
            """);
    RemoteWriteConfig w = c.remoteWrite().getFirst();
    assertThat(w.remoteTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(w.queue()).isEqualTo(QueueConfig.DEFAULT);
    assertThat(w.metadata()).isEqualTo(MetadataConfig.DEFAULT);
    assertThat(w.protobufMessage()).isEqualTo("prometheus.WriteRequest");
    assertThat(w.httpClient().followRedirects()).isTrue();
    RemoteReadConfig r = c.remoteRead().getFirst();
    assertThat(r.remoteTimeout()).isEqualTo(Duration.ofMinutes(1));
    assertThat(r.readRecent()).isFalse();
    AlertmanagerConfig am = c.alerting().alertmanagers().getFirst();
    assertThat(am.scheme()).isEqualTo("http");
    assertThat(am.timeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(am.apiVersion()).isEqualTo("v2");
    assertThat(am.pathPrefix()).isEmpty();
    FileSdConfig f = c.scrapeConfigs().getFirst().fileSdConfigs().getFirst();
    assertThat(f.refreshInterval()).isEqualTo(Duration.ofMinutes(5));
    assertThat(f.files()).containsExactly("/etc/prom/t.json");
    assertThat(c.storage()).isEqualTo(StorageConfig.DEFAULT);
  }

  @Test
  void relabelDefaults() throws Exception {
    RelabelRule r =
        parse(
                """
                scrape_configs:
                  - job_name: a
                    relabel_configs:
                      - target_label: x
                """)
            .scrapeConfigs()
            .getFirst()
            .relabelConfigs()
            .getFirst();
    assertThat(r.separator()).isEqualTo(";");
    assertThat(r.regexText()).isEqualTo("(.*)");
    assertThat(r.replacement()).isEqualTo("$1");
    assertThat(r.action()).isEqualTo(RelabelAction.REPLACE);
    assertThat(r.sourceLabels()).isEmpty();
    assertThat(r.modulus()).isZero();
  }

  @Test
  void yamlOneOneScalarsAnchorsAndMergeKeys() throws Exception {
    PrometheusConfig c =
        parse(
            """
            scrape_configs:
              - &base
                job_name: a
                honor_labels: yes
                sample_limit: 0x10
              - <<: *base
                job_name: b
            """);
    assertThat(c.scrapeConfigs()).extracting(ScrapeConfig::jobName).containsExactly("a", "b");
    assertThat(c.scrapeConfigs().get(1).honorLabels()).isTrue();
    assertThat(c.scrapeConfigs().get(1).limits().sampleLimit()).isEqualTo(16);
  }

  @Test
  void envIsExpandedInExternalLabelsOnly() throws Exception {
    PrometheusConfig c =
        ConfigLoader.parse(
            """
            global:
              external_labels:
                a: "$X-${Y}-$$-$"
                b: "${UNSET}"
            scrape_configs:
              - job_name: "$X"
            """,
            "t.yml",
            Path.of(""),
            Map.of("X", "x", "Y", "y"));
    assertThat(c.global().externalLabels()).isEqualTo(Labels.of("a", "x-y-$-$", "b", ""));
    assertThat(c.scrapeConfigs().getFirst().jobName()).isEqualTo("$X");
  }

  @Test
  void relativePathsJoinTheConfigDirectory(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("prometheus.yml");
    Files.writeString(file, "rule_files: [r.yml, /abs/r.yml]\nglobal:\n  query_log_file: q.log\n");
    PrometheusConfig c = ConfigLoader.load(file, Map.of());
    assertThat(c.ruleFiles()).containsExactly(dir.resolve("r.yml").toString(), "/abs/r.yml");
    assertThat(c.global().queryLogFile()).isEqualTo(dir.resolve("q.log").toString());
  }

  @Test
  void unreadableFileIsAnIoError(@TempDir Path dir) {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> ConfigLoader.load(dir.resolve("missing.yml"), Map.of()))
        .isInstanceOf(IOException.class);
  }

  @Test
  void optionalHasNoValueWhenUnset() throws Exception {
    assertThat(parse("scrape_configs: [{job_name: a}]").scrapeConfigs().getFirst().httpClient())
        .extracting(HttpClientConfig::basicAuth)
        .isEqualTo(Optional.empty());
  }
}
