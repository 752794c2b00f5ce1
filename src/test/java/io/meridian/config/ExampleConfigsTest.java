package io.meridian.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.relabel.RelabelAction;
import io.meridian.relabel.RelabelRule;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Configs shaped like Prometheus's own examples, and what each reads as. */
class ExampleConfigsTest {
  private static final Path DIR = Path.of("src/test/resources/config/examples");

  record Shape(
      List<String> jobs,
      Duration scrapeInterval,
      int remoteWrites,
      int alertmanagers,
      Consumer<PrometheusConfig> more) {}

  static Stream<Arguments> examples() {
    return Stream.of(
        Arguments.of(
            "getting-started.yml",
            new Shape(
                List.of("prometheus"),
                Duration.ofSeconds(15),
                0,
                1,
                c -> {
                  assertThat(c.ruleFiles()).isEmpty();
                  assertThat(c.global().evaluationInterval()).isEqualTo(Duration.ofSeconds(15));
                  assertThat(
                          c.alerting()
                              .alertmanagers()
                              .getFirst()
                              .staticConfigs()
                              .getFirst()
                              .targets())
                      .isEmpty();
                  assertThat(c.scrapeConfigs().getFirst().scrapeTimeout())
                      .isEqualTo(Duration.ofSeconds(10));
                })),
        Arguments.of(
            "blackbox.yml",
            new Shape(
                List.of("blackbox-http"),
                Duration.ofMinutes(1),
                0,
                0,
                c -> {
                  ScrapeConfig s = c.scrapeConfigs().getFirst();
                  assertThat(s.params()).isEqualTo(Map.of("module", List.of("http_2xx")));
                  assertThat(s.staticConfigs().getFirst().targets())
                      .contains("https://example.org");
                  assertThat(s.relabelConfigs())
                      .extracting(RelabelRule::targetLabel)
                      .containsExactly("__param_target", "instance", "__address__");
                })),
        Arguments.of(
            "file-sd.yml",
            new Shape(
                List.of("node", "pushgateway"),
                Duration.ofSeconds(30),
                0,
                0,
                c -> {
                  ScrapeConfig node = c.scrapeConfigs().getFirst();
                  assertThat(node.scrapeTimeout()).isEqualTo(Duration.ofSeconds(8));
                  assertThat(node.fileSdConfigs().getFirst().refreshInterval())
                      .isEqualTo(Duration.ofMinutes(2));
                  assertThat(node.metricRelabelConfigs())
                      .extracting(RelabelRule::action)
                      .containsExactly(RelabelAction.DROP, RelabelAction.LABELDROP);
                  assertThat(c.scrapeConfigs().get(1).honorLabels()).isTrue();
                  assertThat(c.global().externalLabels().get("datacenter")).isEqualTo("fra1");
                })),
        Arguments.of(
            "remote-storage.yml",
            new Shape(
                List.of("self"),
                Duration.ofMinutes(1),
                2,
                0,
                c -> {
                  RemoteWriteConfig w = c.remoteWrite().getFirst();
                  assertThat(w.queue().maxShards()).isEqualTo(30);
                  assertThat(w.queue().capacity())
                      .isEqualTo(RemoteWriteConfig.QueueConfig.DEFAULT.capacity());
                  assertThat(c.remoteWrite().get(1).name()).isEqualTo("thanos");
                  assertThat(c.remoteRead())
                      .singleElement()
                      .satisfies(r -> assertThat(r.readRecent()).isFalse());
                })),
        Arguments.of(
            "alerting.yml",
            new Shape(
                List.of("kube-state-metrics"),
                Duration.ofMinutes(1),
                0,
                1,
                c -> {
                  assertThat(c.ruleFiles())
                      .containsExactly(DIR.resolve("rules/*.rules.yml").toString());
                  AlertingConfig.AlertmanagerConfig am = c.alerting().alertmanagers().getFirst();
                  assertThat(am.scheme()).isEqualTo("https");
                  assertThat(am.pathPrefix()).isEqualTo("/alertmanager");
                  assertThat(am.timeout()).isEqualTo(Duration.ofSeconds(15));
                  assertThat(c.alerting().alertRelabelConfigs()).hasSize(1);
                  assertThat(c.scrapeConfigs().getFirst().scrapeTimeout())
                      .isEqualTo(Duration.ofSeconds(50));
                })));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("examples")
  void readsAsExpected(String file, Shape shape) throws Exception {
    PrometheusConfig c = ConfigLoader.load(DIR.resolve(file), Map.of());
    assertThat(c.scrapeConfigs()).extracting(ScrapeConfig::jobName).isEqualTo(shape.jobs());
    assertThat(c.global().scrapeInterval()).isEqualTo(shape.scrapeInterval());
    assertThat(c.remoteWrite()).hasSize(shape.remoteWrites());
    assertThat(c.alerting().alertmanagers()).hasSize(shape.alertmanagers());
    shape.more().accept(c);
  }
}
