package io.meridian.config;

import io.meridian.config.YamlNode.Scalar;
import io.meridian.model.Labels;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a Prometheus configuration file, as Prometheus's {@code config.LoadFile} does: unknown
 * fields are errors, defaults are Prometheus's, relative paths are joined to the file's directory.
 * Environment variables are expanded only in {@code external_labels} values, the one place
 * Prometheus expands them.
 *
 * <p>Every {@link ConfigException} names the file, the line and column, and the field path.
 */
public final class ConfigLoader {
  private static final Set<String> TOP =
      Set.of(
          "global",
          "rule_files",
          "scrape_configs",
          "remote_write",
          "remote_read",
          "alerting",
          "storage");
  private static final Set<String> GLOBAL;

  static {
    Set<String> g =
        new HashSet<>(
            Set.of(
                "scrape_interval",
                "scrape_timeout",
                "evaluation_interval",
                "external_labels",
                "query_log_file",
                "scrape_protocols"));
    g.addAll(ScrapeConfigs.LIMIT_FIELDS);
    GLOBAL = Set.copyOf(g);
  }

  private static final Set<String> STORAGE = Set.of("tsdb", "exemplars");
  private static final Set<String> TSDB = Set.of("out_of_order_time_window");
  private static final Set<String> EXEMPLARS = Set.of("max_exemplars");
  private static final Pattern RULE_PATH = Pattern.compile("^[^*]*(\\*[^/]*)?$");

  private ConfigLoader() {}

  /**
   * Reads {@code file}, expanding {@code external_labels} from this process's environment.
   *
   * @throws IOException when the file cannot be read
   * @throws ConfigException when it is not a valid configuration
   */
  public static PrometheusConfig load(Path file) throws IOException, ConfigException {
    return load(file, System.getenv());
  }

  /** Reads {@code file}, expanding {@code external_labels} from {@code env}. */
  public static PrometheusConfig load(Path file, Map<String, String> env)
      throws IOException, ConfigException {
    return loadWithText(file, env).config();
  }

  /** A configuration and the text it was read from. */
  public record Loaded(PrometheusConfig config, String text) {}

  /** Reads {@code file} as {@link #load(Path, Map)} does, keeping its text too. */
  public static Loaded loadWithText(Path file, Map<String, String> env)
      throws IOException, ConfigException {
    String text;
    try {
      text = Files.readString(file);
    } catch (CharacterCodingException e) {
      throw new ConfigException(file.toString(), 0, 0, "", "not UTF-8 text");
    }
    Path dir = file.getParent() == null ? Path.of("") : file.getParent();
    return new Loaded(parse(text, file.toString(), dir, env), text);
  }

  /**
   * Reads config text.
   *
   * @param file the name errors give
   * @param dir the directory relative paths are joined to
   */
  public static PrometheusConfig parse(String text, String file, Path dir, Map<String, String> env)
      throws ConfigException {
    Source src = new Source(file, dir, Map.copyOf(env));
    YamlNode root;
    try {
      root = YamlTree.parse(text);
    } catch (YamlTree.SyntaxException e) {
      throw src.error(e.mark(), "", e.getMessage());
    }
    Section top = Section.of(src, root, "", "config.Config", TOP);
    GlobalConfig global = global(top);
    List<String> ruleFiles = ruleFiles(top);
    List<ScrapeConfig> scrapes = scrapeConfigs(top, global);
    AlertingConfig alerting = AlertingConfigs.read(top);
    List<RemoteWriteConfig> writes = RemoteConfigs.writes(top);
    List<RemoteReadConfig> reads = RemoteConfigs.reads(top);
    return new PrometheusConfig(global, ruleFiles, scrapes, writes, reads, alerting, storage(top));
  }

  private static GlobalConfig global(Section top) throws ConfigException {
    Section g = top.section("global", "config.GlobalConfig", GLOBAL);
    if (g == null) {
      return GlobalConfig.DEFAULT;
    }
    Labels external = ScrapeConfigs.labels(g, "external_labels");
    if (external.size() > 0) {
      Map<String, String> expanded = new LinkedHashMap<>();
      external.forEach((n, v) -> expanded.put(n, Env.expand(v, g.source.env())));
      external = Labels.of(expanded);
    }
    Duration interval = g.duration("scrape_interval", Duration.ZERO);
    if (interval.isZero()) {
      interval = GlobalConfig.DEFAULT_SCRAPE_INTERVAL;
    }
    Duration timeout = g.duration("scrape_timeout", Duration.ZERO);
    if (timeout.compareTo(interval) > 0) {
      throw g.error(
          g.present("scrape_timeout") ? "scrape_timeout" : "scrape_interval",
          "global scrape timeout greater than scrape interval");
    }
    if (timeout.isZero()) {
      timeout =
          GlobalConfig.DEFAULT_SCRAPE_TIMEOUT.compareTo(interval) < 0
              ? GlobalConfig.DEFAULT_SCRAPE_TIMEOUT
              : interval;
    }
    Duration eval = g.duration("evaluation_interval", Duration.ZERO);
    if (eval.isZero()) {
      eval = GlobalConfig.DEFAULT_EVALUATION_INTERVAL;
    }
    List<String> protocols =
        g.present("scrape_protocols")
            ? ScrapeConfigs.protocols(g, " for global config")
            : List.of();
    return new GlobalConfig(
        interval,
        timeout,
        eval,
        external,
        g.source.resolve(g.string("query_log_file", "")),
        protocols,
        ScrapeConfigs.limits(g));
  }

  private static List<String> ruleFiles(Section top) throws ConfigException {
    List<String> out = new ArrayList<>();
    for (Scalar f : top.scalars("rule_files")) {
      if (!RULE_PATH.matcher(f.text()).matches()) {
        throw top.source.error(
            f.mark(), top.field("rule_files"), "invalid rule file path \"" + f.text() + "\"");
      }
      out.add(top.source.resolve(f.text()));
    }
    return out;
  }

  private static List<ScrapeConfig> scrapeConfigs(Section top, GlobalConfig global)
      throws ConfigException {
    List<ScrapeConfig> out = new ArrayList<>();
    Map<String, Section> jobs = new HashMap<>();
    List<YamlNode> items = top.items("scrape_configs", "[]*config.ScrapeConfig");
    for (int i = 0; i < items.size(); i++) {
      YamlNode n = items.get(i);
      String path = "scrape_configs[" + i + "]";
      if (n instanceof Scalar s && s.isNull()) {
        throw top.source.error(n.mark(), path, "empty or null scrape config section");
      }
      Section s = Section.of(top.source, n, path, "config.ScrapeConfig", ScrapeConfigs.FIELDS);
      ScrapeConfig c = ScrapeConfigs.read(s, global);
      if (jobs.putIfAbsent(c.jobName(), s) != null) {
        throw s.error(
            "job_name", "found multiple scrape configs with job name \"" + c.jobName() + "\"");
      }
      out.add(c);
    }
    return out;
  }

  private static StorageConfig storage(Section top) throws ConfigException {
    Section s = top.section("storage", "config.StorageConfig", STORAGE);
    if (s == null) {
      return StorageConfig.DEFAULT;
    }
    Section tsdb = s.section("tsdb", "config.TSDBConfig", TSDB);
    Duration ooo =
        tsdb == null ? Duration.ZERO : tsdb.duration("out_of_order_time_window", Duration.ZERO);
    Section ex = s.section("exemplars", "config.ExemplarsConfig", EXEMPLARS);
    long max = StorageConfig.DEFAULT.maxExemplars();
    if (ex != null) {
      max = ex.integer("max_exemplars", max);
    }
    return new StorageConfig(ooo, max);
  }
}
