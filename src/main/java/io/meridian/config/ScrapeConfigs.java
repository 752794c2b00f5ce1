package io.meridian.config;

import io.meridian.config.YamlNode.Mapping;
import io.meridian.config.YamlNode.Scalar;
import io.meridian.model.Labels;
import io.meridian.model.NameValidation;
import io.meridian.relabel.RelabelRule;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/** Reads {@code scrape_configs} entries and the target lists they and Alertmanagers share. */
final class ScrapeConfigs {
  static final Set<String> FIELDS =
      HttpClients.with(
          Set.of(
              "job_name",
              "honor_labels",
              "honor_timestamps",
              "track_timestamps_staleness",
              "params",
              "scrape_interval",
              "scrape_timeout",
              "scrape_protocols",
              "metrics_path",
              "scheme",
              "enable_compression",
              "body_size_limit",
              "sample_limit",
              "target_limit",
              "label_limit",
              "label_name_length_limit",
              "label_value_length_limit",
              "static_configs",
              "file_sd_configs",
              "relabel_configs",
              "metric_relabel_configs"));
  static final Set<String> LIMIT_FIELDS =
      Set.of(
          "body_size_limit",
          "sample_limit",
          "target_limit",
          "label_limit",
          "label_name_length_limit",
          "label_value_length_limit");
  private static final Set<String> STATIC = Set.of("targets", "labels");
  private static final Set<String> FILE_SD = Set.of("files", "refresh_interval");
  private static final Pattern FILE_SD_NAME =
      Pattern.compile("^[^*]*(\\*[^/]*)?\\.(json|yml|yaml|JSON|YML|YAML)$");
  private static final Set<String> PROTOCOLS =
      Set.of(
          "PrometheusProto",
          "PrometheusText0.0.4",
          "PrometheusText1.0.0",
          "OpenMetricsText0.0.1",
          "OpenMetricsText1.0.0");

  private ScrapeConfigs() {}

  static ScrapeConfig read(Section s, GlobalConfig global) throws ConfigException {
    String job = s.string("job_name", "");
    if (job.isEmpty()) {
      throw s.error("job_name", "job_name is empty");
    }
    String jobQ = "\"" + job + "\"";
    HttpClientConfig http = HttpClients.read(s, HttpClientConfig.DEFAULT);
    Duration interval = s.duration("scrape_interval", Duration.ZERO);
    if (interval.isZero()) {
      interval = global.scrapeInterval();
    }
    Duration timeout = s.duration("scrape_timeout", Duration.ZERO);
    if (timeout.compareTo(interval) > 0) {
      throw s.error(
          s.present("scrape_timeout") ? "scrape_timeout" : "scrape_interval",
          "scrape timeout greater than scrape interval for scrape config with job name " + jobQ);
    }
    if (timeout.isZero()) {
      timeout = global.scrapeTimeout().compareTo(interval) < 0 ? global.scrapeTimeout() : interval;
    }
    List<String> protocols;
    if (s.present("scrape_protocols")) {
      protocols = protocols(s, " for scrape config with job name " + jobQ);
    } else if (!global.scrapeProtocols().isEmpty()) {
      protocols = global.scrapeProtocols();
    } else {
      protocols = ScrapeConfig.DEFAULT_SCRAPE_PROTOCOLS;
    }
    String scheme = s.string("scheme", "http");
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw s.error("scheme", "scheme must be \"http\" or \"https\", got \"" + scheme + "\"");
    }
    List<RelabelRule> relabel =
        RelabelConfigs.read(
            s, "relabel_configs", "empty or null target relabeling rule in scrape config");
    List<RelabelRule> metricRelabel =
        RelabelConfigs.read(
            s, "metric_relabel_configs", "empty or null metric relabeling rule in scrape config");
    List<StaticConfig> statics = staticConfigs(s, relabel.isEmpty());
    return new ScrapeConfig(
        job,
        interval,
        timeout,
        protocols,
        s.string("metrics_path", ScrapeConfig.DEFAULT_METRICS_PATH),
        scheme,
        params(s),
        s.bool("honor_labels", false),
        s.bool("honor_timestamps", true),
        s.bool("track_timestamps_staleness", false),
        s.bool("enable_compression", true),
        limits(s).orElse(global.limits()),
        http,
        statics,
        fileSdConfigs(s),
        relabel,
        metricRelabel);
  }

  /** The limit fields of a scrape config or the global section. */
  static ScrapeLimits limits(Section s) throws ConfigException {
    long body = 0;
    String bodyText = s.string("body_size_limit", "");
    if (!bodyText.isEmpty()) {
      try {
        body = ByteSize.parse(bodyText);
      } catch (IllegalArgumentException e) {
        throw s.error("body_size_limit", e.getMessage());
      }
    }
    return new ScrapeLimits(
        s.uint("sample_limit", 0),
        s.uint("target_limit", 0),
        s.uint("label_limit", 0),
        s.uint("label_name_length_limit", 0),
        s.uint("label_value_length_limit", 0),
        body);
  }

  /** {@code scrape_protocols}, checked; {@code suffix} ends messages (" for global config"). */
  static List<String> protocols(Section s, String suffix) throws ConfigException {
    List<YamlNode.Scalar> list = s.scalars("scrape_protocols");
    if (list.isEmpty()) {
      throw s.error("scrape_protocols", "scrape_protocols cannot be empty" + suffix);
    }
    List<String> names = list.stream().map(YamlNode.Scalar::text).toList();
    Set<String> seen = new HashSet<>();
    for (YamlNode.Scalar p : list) {
      String field = s.field("scrape_protocols");
      if (!seen.add(p.text().toLowerCase(java.util.Locale.ROOT))) {
        throw s.source.error(
            p.mark(),
            field,
            "duplicated protocol in scrape_protocols, got ["
                + String.join(" ", names)
                + "]"
                + suffix);
      }
      if (!PROTOCOLS.contains(p.text())) {
        throw s.source.error(
            p.mark(),
            field,
            "scrape_protocols: unknown scrape protocol "
                + p.text()
                + ", supported: ["
                + String.join(" ", new TreeSet<>(PROTOCOLS))
                + "]"
                + suffix);
      }
    }
    return names;
  }

  private static Map<String, List<String>> params(Section s) throws ConfigException {
    YamlNode n = s.node("params");
    if (n == null) {
      return Map.of();
    }
    if (!(n instanceof Mapping m)) {
      throw s.valueError("params", Section.cannotUnmarshal(n, "url.Values"));
    }
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (YamlNode.Entry e : m.entries()) {
      List<String> values = new ArrayList<>();
      switch (e.value()) {
        case YamlNode.Sequence seq -> {
          for (YamlNode v : seq.items()) {
            if (!(v instanceof Scalar sc)) {
              throw s.source.error(
                  v.mark(),
                  s.field("params") + "." + e.key(),
                  Section.cannotUnmarshal(v, "string"));
            }
            values.add(sc.text());
          }
        }
        case Scalar sc when sc.isNull() -> {}
        default ->
            throw s.source.error(
                e.value().mark(),
                s.field("params") + "." + e.key(),
                Section.cannotUnmarshal(e.value(), "[]string"));
      }
      out.put(e.key(), List.copyOf(values));
    }
    return out;
  }

  /**
   * {@code static_configs}; with {@code checkHosts}, a target holding a {@code /} (someone wrote a
   * URL) is an error, as Prometheus checks when there are no relabel rules to rewrite it.
   */
  static List<StaticConfig> staticConfigs(Section s, boolean checkHosts) throws ConfigException {
    List<StaticConfig> out = new ArrayList<>();
    List<YamlNode> items = s.items("static_configs", "discovery.StaticConfig");
    for (int i = 0; i < items.size(); i++) {
      String path = s.field("static_configs") + "[" + i + "]";
      Section g = Section.of(s.source, items.get(i), path, "targetgroup.Group", STATIC);
      List<String> targets = new ArrayList<>();
      for (Scalar t : g.scalars("targets")) {
        if (checkHosts && t.text().contains("/")) {
          throw g.source.error(
              t.mark(), g.field("targets"), "\"" + t.text() + "\" is not a valid hostname");
        }
        targets.add(t.text());
      }
      out.add(new StaticConfig(targets, labels(g, "labels")));
    }
    return out;
  }

  /** A label set ({@code labels:}, {@code external_labels:}), names checked. */
  static Labels labels(Section s, String key) throws ConfigException {
    Map<String, String> map = s.stringMap(key, "model.LabelSet");
    for (String name : map.keySet()) {
      if (!NameValidation.isLegacyLabelName(name)) {
        throw s.source.error(
            s.entryMark(key, name), s.field(key), "\"" + name + "\" is not a valid label name");
      }
    }
    return Labels.of(map);
  }

  static List<FileSdConfig> fileSdConfigs(Section s) throws ConfigException {
    List<FileSdConfig> out = new ArrayList<>();
    List<YamlNode> items = s.items("file_sd_configs", "[]*file.SDConfig");
    for (int i = 0; i < items.size(); i++) {
      String path = s.field("file_sd_configs") + "[" + i + "]";
      Section f = Section.of(s.source, items.get(i), path, "file.SDConfig", FILE_SD);
      List<Scalar> files = f.scalars("files");
      if (files.isEmpty()) {
        throw f.error("file service discovery config must contain at least one path name");
      }
      List<String> resolved = new ArrayList<>();
      for (Scalar name : files) {
        if (!FILE_SD_NAME.matcher(name.text()).matches()) {
          throw f.source.error(
              name.mark(),
              f.field("files"),
              "path name \"" + name.text() + "\" is not valid for file discovery");
        }
        resolved.add(s.source.resolve(name.text()));
      }
      Duration refresh = f.duration("refresh_interval", FileSdConfig.DEFAULT_REFRESH_INTERVAL);
      out.add(new FileSdConfig(resolved, refresh));
    }
    return out;
  }
}
