package io.meridian.config;

import io.meridian.config.YamlNode.Entry;
import io.meridian.config.YamlNode.Kind;
import io.meridian.config.YamlNode.Mapping;
import io.meridian.config.YamlNode.Mark;
import io.meridian.config.YamlNode.Scalar;
import io.meridian.config.YamlNode.Sequence;
import io.meridian.util.PromDuration;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One YAML mapping read as a Prometheus config type: it knows its field path ({@code
 * scrape_configs[2].tls_config}) and Go type name ({@code config.TLSConfig}) for messages, rejects
 * unknown and repeated fields when made, and reads typed values with Go YAML's rules and wording
 * ({@code cannot unmarshal !!str `maybe` into bool}).
 */
final class Section {
  /**
   * Fields Prometheus has that Meridian does not read yet. Naming one is an error that says so,
   * rather than the "not found" a misspelt field gets.
   */
  private static final Set<String> NOT_YET =
      Set.of(
          "azure_sd_configs",
          "consul_sd_configs",
          "digitalocean_sd_configs",
          "docker_sd_configs",
          "dockerswarm_sd_configs",
          "dns_sd_configs",
          "ec2_sd_configs",
          "eureka_sd_configs",
          "gce_sd_configs",
          "hetzner_sd_configs",
          "http_sd_configs",
          "ionos_sd_configs",
          "kubernetes_sd_configs",
          "kuma_sd_configs",
          "lightsail_sd_configs",
          "linode_sd_configs",
          "marathon_sd_configs",
          "nerve_sd_configs",
          "nomad_sd_configs",
          "openstack_sd_configs",
          "ovhcloud_sd_configs",
          "puppetdb_sd_configs",
          "scaleway_sd_configs",
          "serverset_sd_configs",
          "triton_sd_configs",
          "uyuni_sd_configs",
          "vultr_sd_configs",
          "oauth2",
          "sigv4",
          "azuread",
          "google_iam",
          "no_proxy",
          "proxy_from_environment",
          "proxy_connect_header",
          "http_headers",
          "tracing",
          "otlp",
          "runtime",
          "scrape_config_files",
          "keep_dropped_targets",
          "native_histogram_bucket_limit",
          "native_histogram_min_bucket_factor",
          "scrape_native_histograms",
          "always_scrape_classic_histograms",
          "convert_classic_histograms_to_nhcb",
          "fallback_scrape_protocol",
          "metric_name_validation_scheme",
          "metric_name_escaping_scheme",
          "scrape_failure_log_file",
          "extra_scrape_metrics",
          "rule_query_offset",
          "chunked_read_limit",
          "round_robin_dns",
          "sample_age_limit",
          "retention",
          "max_version",
          "ca",
          "cert",
          "key");

  final Source source;
  final String path;
  final String type;
  final Mark mark;
  private final Map<String, Entry> entries;

  private Section(Source source, String path, String type, Mark mark, Map<String, Entry> entries) {
    this.source = source;
    this.path = path;
    this.type = type;
    this.mark = mark;
    this.entries = entries;
  }

  /**
   * Reads {@code node} as a mapping of type {@code type} with the given fields; null (an empty
   * value) is an empty mapping.
   */
  static Section of(Source source, YamlNode node, String path, String type, Set<String> fields)
      throws ConfigException {
    if (node instanceof Scalar s && s.isNull()) {
      return new Section(source, path, type, node.mark(), Map.of());
    }
    if (!(node instanceof Mapping m)) {
      throw source.error(node.mark(), path, cannotUnmarshal(node, type));
    }
    Map<String, Entry> entries = new LinkedHashMap<>();
    for (Entry e : m.entries()) {
      String child = join(path, e.key());
      if (!fields.contains(e.key())) {
        String detail =
            NOT_YET.contains(e.key())
                ? "field " + e.key() + " (in type " + type + ") is not supported by Meridian yet"
                : "field " + e.key() + " not found in type " + type;
        throw source.error(e.keyMark(), child, detail);
      }
      if (entries.putIfAbsent(e.key(), e) != null) {
        throw source.error(e.keyMark(), child, "field " + e.key() + " already set in type " + type);
      }
    }
    return new Section(source, path, type, m.mark(), entries);
  }

  static String join(String path, String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  static String cannotUnmarshal(YamlNode node, String into) {
    if (node instanceof Scalar s) {
      return "cannot unmarshal " + s.tag() + " `" + s.text() + "` into " + into;
    }
    return "cannot unmarshal " + node.tag() + " into " + into;
  }

  /** The path of field {@code key}. */
  String field(String key) {
    return join(path, key);
  }

  /** The value of {@code key}, or null when absent or written as null. */
  YamlNode node(String key) {
    Entry e = entries.get(key);
    if (e == null || (e.value() instanceof Scalar s && s.isNull())) {
      return null;
    }
    return e.value();
  }

  /** Whether {@code key} is present (even if null). */
  boolean present(String key) {
    return entries.containsKey(key);
  }

  /** An error about field {@code key}, placed at its value (or the key, or this mapping). */
  ConfigException error(String key, String detail) {
    Entry e = entries.get(key);
    Mark at = e == null ? mark : (e.value() instanceof Scalar ? e.value().mark() : e.keyMark());
    return source.error(at, field(key), detail);
  }

  /** An error about the value of {@code key} itself, placed at the value (e.g. a wrong type). */
  ConfigException valueError(String key, String detail) {
    Entry e = entries.get(key);
    return source.error(e == null ? mark : e.value().mark(), field(key), detail);
  }

  /** An error about this mapping as a whole. */
  ConfigException error(String detail) {
    return source.error(mark, path, detail);
  }

  /** A child mapping, or null when absent or null. */
  Section section(String key, String childType, Set<String> fields) throws ConfigException {
    YamlNode n = node(key);
    return n == null ? null : of(source, n, field(key), childType, fields);
  }

  /** The items of a sequence, or an empty list when absent or null. */
  List<YamlNode> items(String key, String intoType) throws ConfigException {
    YamlNode n = node(key);
    if (n == null) {
      return List.of();
    }
    if (!(n instanceof Sequence s)) {
      throw valueError(key, cannotUnmarshal(n, intoType));
    }
    return s.items();
  }

  String string(String key, String dflt) throws ConfigException {
    YamlNode n = node(key);
    if (n == null) {
      return dflt;
    }
    if (!(n instanceof Scalar s)) {
      throw valueError(key, cannotUnmarshal(n, "string"));
    }
    return s.text();
  }

  boolean bool(String key, boolean dflt) throws ConfigException {
    YamlNode n = node(key);
    if (n == null) {
      return dflt;
    }
    if (!(n instanceof Scalar s) || s.kind() != Kind.BOOL) {
      throw error(key, cannotUnmarshal(n, "bool"));
    }
    return switch (s.text()) {
      case "y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON" -> true;
      default -> false;
    };
  }

  /** A non-negative integer (Go's {@code uint}). */
  long uint(String key, long dflt) throws ConfigException {
    YamlNode n = node(key);
    if (n == null) {
      return dflt;
    }
    long v = integer(n, key, "uint");
    if (v < 0) {
      throw error(key, cannotUnmarshal(n, "uint"));
    }
    return v;
  }

  /** A signed integer (Go's {@code int}). */
  long integer(String key, long dflt) throws ConfigException {
    YamlNode n = node(key);
    return n == null ? dflt : integer(n, key, "int");
  }

  private long integer(YamlNode n, String key, String goType) throws ConfigException {
    if (!(n instanceof Scalar s) || s.kind() != Kind.INT) {
      throw error(key, cannotUnmarshal(n, goType));
    }
    try {
      return parseInt(s.text());
    } catch (NumberFormatException | ArithmeticException e) {
      throw error(key, cannotUnmarshal(n, goType));
    }
  }

  private static long parseInt(String text) {
    String t = text.replace("_", "");
    boolean negative = t.startsWith("-");
    if (negative || t.startsWith("+")) {
      t = t.substring(1);
    }
    BigInteger v;
    if (t.startsWith("0x")) {
      v = new BigInteger(t.substring(2), 16);
    } else if (t.startsWith("0b")) {
      v = new BigInteger(t.substring(2), 2);
    } else if (t.length() > 1 && t.startsWith("0")) {
      v = new BigInteger(t.substring(1), 8);
    } else {
      v = new BigInteger(t);
    }
    return (negative ? v.negate() : v).longValueExact();
  }

  /** A Prometheus duration ({@code 30s}, {@code 1m30s}), or {@code dflt}. */
  Duration duration(String key, Duration dflt) throws ConfigException {
    String s = string(key, null);
    if (s == null) {
      return dflt;
    }
    try {
      return PromDuration.parse(s);
    } catch (IllegalArgumentException e) {
      throw error(key, e.getMessage());
    }
  }

  /** A sequence of scalars, or an empty list. */
  List<String> strings(String key) throws ConfigException {
    return scalars(key).stream().map(Scalar::text).toList();
  }

  /** A sequence of scalars with their places, or an empty list. */
  List<Scalar> scalars(String key) throws ConfigException {
    List<Scalar> out = new ArrayList<>();
    for (YamlNode n : items(key, "[]string")) {
      if (!(n instanceof Scalar s)) {
        throw source.error(n.mark(), field(key), cannotUnmarshal(n, "string"));
      }
      out.add(s);
    }
    return List.copyOf(out);
  }

  /** A mapping of scalars, in the order written, or an empty map. */
  Map<String, String> stringMap(String key, String intoType) throws ConfigException {
    YamlNode n = node(key);
    if (n == null) {
      return Map.of();
    }
    if (!(n instanceof Mapping m)) {
      throw valueError(key, cannotUnmarshal(n, intoType));
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (Entry e : m.entries()) {
      if (!(e.value() instanceof Scalar s)) {
        throw source.error(e.value().mark(), field(key), cannotUnmarshal(e.value(), "string"));
      }
      if (out.put(e.key(), s.isNull() ? "" : s.text()) != null) {
        throw source.error(
            e.keyMark(), field(key), "mapping key \"" + e.key() + "\" already defined");
      }
    }
    return out;
  }

  /** The place of {@code key}'s value within its mapping, for errors about one entry. */
  Mark entryMark(String key, String entryKey) {
    YamlNode n = node(key);
    if (n instanceof Mapping m) {
      for (Entry e : m.entries()) {
        if (e.key().equals(entryKey)) {
          return e.keyMark();
        }
      }
    }
    return n == null ? mark : n.mark();
  }
}
