package io.meridian.config;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each kind of bad config, with the message it gets: file, line, column, field, and detail. The
 * YAML is written with {@code |} for line ends.
 */
class ConfigErrorsTest {

  static Stream<Arguments> cases() {
    return Stream.of(
        // Unknown, repeated and mistyped fields, in Go YAML's words.
        bad(
            "scrape_configs:|  - job_name: a|    job_nme: b|",
            "3:5: scrape_configs[0].job_nme: field job_nme not found in type config.ScrapeConfig"),
        bad("foo: 1|", "1:1: foo: field foo not found in type config.Config"),
        bad(
            "global:|  scrape_interval: 1s|  scrape_interval: 2s|",
            "3:3: global.scrape_interval: field scrape_interval already set in type"
                + " config.GlobalConfig"),
        bad(
            "scrape_configs:|  - job_name: a|    honor_labels: \"true\"|",
            "3:19: scrape_configs[0].honor_labels: cannot unmarshal !!str `true` into bool"),
        bad(
            "scrape_configs:|  - job_name: a|    sample_limit: -1|",
            "3:19: scrape_configs[0].sample_limit: cannot unmarshal !!int `-1` into uint"),
        bad(
            "scrape_configs:|  job_name: a|",
            "2:3: scrape_configs: cannot unmarshal !!map into []*config.ScrapeConfig"),
        bad("rule_files: a.yml|", "1:13: rule_files: cannot unmarshal !!str `a.yml` into []string"),
        bad(
            "scrape_configs:|  - job_name: a|    kubernetes_sd_configs: []|",
            "3:5: scrape_configs[0].kubernetes_sd_configs: field kubernetes_sd_configs (in type"
                + " config.ScrapeConfig) is not supported by Meridian yet"),
        // YAML syntax.
        bad(
            "scrape_configs:|\t- job_name: a|",
            "2:1: yaml: while scanning for the next token: found character '\\t(TAB)' that cannot"
                + " start any token. (Do not use \\t(TAB) for indentation)"),
        bad(
            "scrape_configs:|  - job_name: a|   foo: b|",
            "3:4: yaml: while parsing a block collection: expected <block end>, but found '<block"
                + " mapping start>'"),
        // Values.
        bad(
            "global:|  scrape_interval: 5x|",
            "2:20: global.scrape_interval: not a valid duration string: \"5x\""),
        bad(
            "global:|  scrape_interval: 5s|  scrape_timeout: 10s|",
            "3:19: global.scrape_timeout: global scrape timeout greater than scrape interval"),
        bad(
            "scrape_configs:|  - job_name: a|    scrape_interval: 5s|    scrape_timeout: 6s|",
            "4:21: scrape_configs[0].scrape_timeout: scrape timeout greater than scrape interval"
                + " for scrape config with job name \"a\""),
        bad(
            "scrape_configs:|  - job_name: a|  - job_name: a|",
            "3:15: scrape_configs[1].job_name: found multiple scrape configs with job name \"a\""),
        bad(
            "scrape_configs:|  - honor_labels: true|",
            "2:5: scrape_configs[0].job_name: job_name is empty"),
        bad("scrape_configs:|  -|", "2:4: scrape_configs[0]: empty or null scrape config section"),
        bad(
            "scrape_configs:|  - job_name: a|    scheme: ftp|",
            "3:13: scrape_configs[0].scheme: scheme must be \"http\" or \"https\", got \"ftp\""),
        bad(
            "scrape_configs:|  - job_name: a|    body_size_limit: 10XB|",
            "3:22: scrape_configs[0].body_size_limit: units: unknown unit XB in 10XB"),
        bad(
            "scrape_configs:|  - job_name: a|    static_configs:|      - targets: [a, 'http://b']|",
            "4:22: scrape_configs[0].static_configs[0].targets: \"http://b\" is not a valid hostname"),
        bad(
            "global:|  external_labels:|    1a: x|",
            "3:5: global.external_labels: \"1a\" is not a valid label name"),
        bad(
            "scrape_configs:|  - job_name: a|    file_sd_configs:|      - files: [t.txt]|",
            "4:17: scrape_configs[0].file_sd_configs[0].files: path name \"t.txt\" is not valid for"
                + " file discovery"),
        bad(
            "rule_files:|  - ok.yml|  - a/*/b.yml|",
            "3:5: rule_files: invalid rule file path \"a/*/b.yml\""),
        bad(
            "scrape_configs:|  - job_name: a|    scrape_protocols: [PrometheusText0.0.4, Foo]|",
            "3:45: scrape_configs[0].scrape_protocols: scrape_protocols: unknown scrape protocol"
                + " Foo, supported: [OpenMetricsText0.0.1 OpenMetricsText1.0.0 PrometheusProto"
                + " PrometheusText0.0.4 PrometheusText1.0.0] for scrape config with job name \"a\""),
        // Auth and TLS.
        bad(
            "scrape_configs:|  - job_name: a|    bearer_token: x|    authorization:|"
                + "      credentials: y|",
            "4:5: scrape_configs[0].authorization: authorization is not compatible with"
                + " bearer_token & bearer_token_file"),
        bad(
            "scrape_configs:|  - job_name: a|    bearer_token: x|    bearer_token_file: y|",
            "4:24: scrape_configs[0].bearer_token_file: at most one of bearer_token &"
                + " bearer_token_file must be configured"),
        bad(
            "scrape_configs:|  - job_name: a|    basic_auth:|      username: u|"
                + "      password: p|      password_file: f|",
            "6:22: scrape_configs[0].basic_auth.password_file: at most one of basic_auth password"
                + " & password_file must be configured"),
        bad(
            "scrape_configs:|  - job_name: a|    authorization:|      type: basic|",
            "4:13: scrape_configs[0].authorization.type: authorization type cannot be set to"
                + " \"basic\", use \"basic_auth\" instead"),
        bad(
            "scrape_configs:|  - job_name: a|    tls_config:|      min_version: TLS14|",
            "4:20: scrape_configs[0].tls_config.min_version: unknown TLS version: TLS14"),
        bad(
            "scrape_configs:|  - job_name: a|    tls_config:|      cert_file: c.crt|",
            "4:18: scrape_configs[0].tls_config.cert_file: client cert file \"c.crt\" specified"
                + " without client key file"),
        // Relabelling.
        bad(
            "scrape_configs:|  - job_name: a|    relabel_configs:|      - action: replace|",
            "4:9: scrape_configs[0].relabel_configs[0].target_label: relabel configuration for"
                + " replace action requires 'target_label' value"),
        bad(
            "scrape_configs:|  - job_name: a|    relabel_configs:|      - action: hashmod|"
                + "        target_label: x|",
            "4:9: scrape_configs[0].relabel_configs[0].modulus: relabel configuration for hashmod"
                + " requires non-zero modulus"),
        bad(
            "scrape_configs:|  - job_name: a|    metric_relabel_configs:|      - action: foo|",
            "4:17: scrape_configs[0].metric_relabel_configs[0].action: unknown relabel action"
                + " \"foo\""),
        bad(
            "scrape_configs:|  - job_name: a|    relabel_configs:|      - target_label: 1x|",
            "4:23: scrape_configs[0].relabel_configs[0].target_label: \"1x\" is invalid"
                + " 'target_label' for replace action"),
        bad(
            "scrape_configs:|  - job_name: a|    relabel_configs:|      - action: keep|"
                + "        regex: \"a(\"|",
            "5:16: scrape_configs[0].relabel_configs[0].regex: error parsing regexp: missing"
                + " closing ): `^(?s:a()$`"),
        bad(
            "scrape_configs:|  - job_name: a|    relabel_configs:|      - action: labeldrop|"
                + "        target_label: x|",
            "4:9: scrape_configs[0].relabel_configs[0]: labeldrop action requires only 'regex',"
                + " and no other fields"),
        bad(
            "scrape_configs:|  - job_name: a|    relabel_configs:|      - source_labels: [1a]|"
                + "        action: keep|",
            "4:9: scrape_configs[0].relabel_configs[0].source_labels: \"1a\" is not a valid label"
                + " name"),
        bad(
            "scrape_configs:|  - job_name: a|    relabel_configs:|      -|",
            "4:8: scrape_configs[0].relabel_configs[0]: empty or null target relabeling rule in"
                + " scrape config"),
        // Remote write and read, alerting, storage.
        bad(
            "remote_write:|  - name: x|",
            "2:5: remote_write[0].url: url for remote_write is empty"),
        bad(
            "remote_write:|  - url: localhost:9090/write|",
            "2:10: remote_write[0].url: parse \"localhost:9090/write\": missing host"),
        bad(
            "remote_write:|  - url: http://a|    name: x|  - url: http://b|    name: x|",
            "5:11: remote_write[1].name: found multiple remote write configs with job name \"x\""),
        bad(
            "remote_write:|  - url: http://a|    headers:|      User-Agent: x|",
            "4:7: remote_write[0].headers: User-Agent is a reserved header. It must not be"
                + " changed"),
        bad(
            "remote_write:|  - url: http://a|    queue_config:|      max_shards: -1|",
            "4:19: remote_write[0].queue_config.max_shards: max_shards must not be negative, got"
                + " -1"),
        bad("remote_read:|  - name: x|", "2:5: remote_read[0].url: url for remote_read is empty"),
        bad(
            "alerting:|  alertmanagers:|    - api_version: v1|",
            "3:20: alerting.alertmanagers[0].api_version: expected Alertmanager api version to be"
                + " one of [v2] but got v1"),
        bad(
            "storage:|  tsdb:|    out_of_order_time_window: -1h|",
            "3:31: storage.tsdb.out_of_order_time_window: not a valid duration string: \"-1h\""));
  }

  private static Arguments bad(String yaml, String expected) {
    return Arguments.of(yaml.replace('|', '\n'), "test.yml:" + expected);
  }

  @ParameterizedTest
  @MethodSource("cases")
  void errorNamesFileLineFieldAndProblem(String yaml, String expected) {
    assertThatThrownBy(() -> ConfigLoader.parse(yaml, "test.yml", Path.of(""), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessage(expected);
  }
}
