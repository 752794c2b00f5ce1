package io.meridian.config;

import io.meridian.config.AlertingConfig.AlertmanagerConfig;
import io.meridian.config.YamlNode.Scalar;
import io.meridian.relabel.RelabelRule;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Reads the {@code alerting} section. */
final class AlertingConfigs {
  private static final Set<String> FIELDS = Set.of("alert_relabel_configs", "alertmanagers");
  private static final Set<String> ALERTMANAGER =
      HttpClients.with(
          Set.of(
              "scheme",
              "path_prefix",
              "timeout",
              "api_version",
              "static_configs",
              "file_sd_configs",
              "relabel_configs",
              "alert_relabel_configs"));

  private AlertingConfigs() {}

  static AlertingConfig read(Section top) throws ConfigException {
    Section a = top.section("alerting", "config.AlertingConfig", FIELDS);
    if (a == null) {
      return AlertingConfig.EMPTY;
    }
    List<RelabelRule> relabel =
        RelabelConfigs.read(a, "alert_relabel_configs", "empty or null alert relabeling rule");
    List<AlertmanagerConfig> ams = new ArrayList<>();
    List<YamlNode> items = a.items("alertmanagers", "config.AlertmanagerConfigs");
    for (int i = 0; i < items.size(); i++) {
      YamlNode n = items.get(i);
      String path = a.field("alertmanagers") + "[" + i + "]";
      if (n instanceof Scalar sc && sc.isNull()) {
        throw top.source.error(n.mark(), path, "empty or null alertmanager config section");
      }
      ams.add(
          alertmanager(Section.of(top.source, n, path, "config.AlertmanagerConfig", ALERTMANAGER)));
    }
    return new AlertingConfig(relabel, ams);
  }

  private static AlertmanagerConfig alertmanager(Section s) throws ConfigException {
    HttpClientConfig http = HttpClients.read(s, HttpClientConfig.DEFAULT);
    String scheme = s.string("scheme", "http");
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw s.error("scheme", "scheme must be \"http\" or \"https\", got \"" + scheme + "\"");
    }
    String version = s.string("api_version", "v2");
    if (!version.equals("v2")) {
      throw s.error(
          "api_version", "expected Alertmanager api version to be one of [v2] but got " + version);
    }
    List<RelabelRule> relabel =
        RelabelConfigs.read(
            s, "relabel_configs", "empty or null Alertmanager target relabeling rule");
    List<RelabelRule> alertRelabel =
        RelabelConfigs.read(
            s, "alert_relabel_configs", "empty or null Alertmanager alert relabeling rule");
    return new AlertmanagerConfig(
        scheme,
        s.string("path_prefix", ""),
        s.duration("timeout", AlertmanagerConfig.DEFAULT_TIMEOUT),
        version,
        http,
        ScrapeConfigs.staticConfigs(s, relabel.isEmpty()),
        ScrapeConfigs.fileSdConfigs(s),
        relabel,
        alertRelabel);
  }
}
