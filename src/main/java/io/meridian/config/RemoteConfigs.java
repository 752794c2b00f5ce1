package io.meridian.config;

import io.meridian.config.RemoteWriteConfig.MetadataConfig;
import io.meridian.config.RemoteWriteConfig.QueueConfig;
import io.meridian.config.YamlNode.Scalar;
import io.meridian.model.Labels;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Reads {@code remote_write} and {@code remote_read}. */
final class RemoteConfigs {
  private static final Set<String> WRITE =
      HttpClients.with(
          Set.of(
              "url",
              "name",
              "remote_timeout",
              "headers",
              "write_relabel_configs",
              "queue_config",
              "metadata_config",
              "protobuf_message",
              "send_exemplars",
              "send_native_histograms"));
  private static final Set<String> READ =
      HttpClients.with(
          Set.of(
              "url",
              "name",
              "remote_timeout",
              "headers",
              "read_recent",
              "required_matchers",
              "filter_external_labels"));
  private static final Set<String> QUEUE =
      Set.of(
          "capacity",
          "min_shards",
          "max_shards",
          "max_samples_per_send",
          "batch_send_deadline",
          "min_backoff",
          "max_backoff",
          "retry_on_http_429");
  private static final Set<String> METADATA =
      Set.of("send", "send_interval", "max_samples_per_send");

  /** Headers Prometheus sets itself; a config may not change them. */
  private static final Set<String> RESERVED_HEADERS =
      Set.of(
          "host",
          "content-encoding",
          "content-length",
          "content-type",
          "user-agent",
          "connection",
          "keep-alive",
          "proxy-authenticate",
          "proxy-authorization",
          "www-authenticate",
          "accept-encoding",
          "x-prometheus-remote-write-version",
          "x-prometheus-remote-read-version",
          "x-amz-date",
          "x-amz-security-token",
          "x-amz-content-sha256");

  private RemoteConfigs() {}

  static List<RemoteWriteConfig> writes(Section top) throws ConfigException {
    List<RemoteWriteConfig> out = new ArrayList<>();
    Set<String> names = new HashSet<>();
    List<YamlNode> items = top.items("remote_write", "[]*config.RemoteWriteConfig");
    for (int i = 0; i < items.size(); i++) {
      YamlNode n = items.get(i);
      String path = "remote_write[" + i + "]";
      if (n instanceof Scalar sc && sc.isNull()) {
        throw top.source.error(n.mark(), path, "empty or null remote write config section");
      }
      Section s = Section.of(top.source, n, path, "config.RemoteWriteConfig", WRITE);
      RemoteWriteConfig c = write(s);
      if (!c.name().isEmpty() && !names.add(c.name())) {
        throw s.error(
            "name", "found multiple remote write configs with job name \"" + c.name() + "\"");
      }
      out.add(c);
    }
    return out;
  }

  private static RemoteWriteConfig write(Section s) throws ConfigException {
    URI url = url(s, "remote_write");
    Map<String, String> headers = headers(s);
    String proto = s.string("protobuf_message", RemoteWriteConfig.PROTOBUF_V1);
    if (!proto.equals(RemoteWriteConfig.PROTOBUF_V1)
        && !proto.equals(RemoteWriteConfig.PROTOBUF_V2)) {
      throw s.error(
          "protobuf_message",
          "invalid protobuf_message value: unknown remote write protobuf message "
              + proto
              + ", supported: "
              + RemoteWriteConfig.PROTOBUF_V1
              + ", "
              + RemoteWriteConfig.PROTOBUF_V2);
    }
    List<io.meridian.relabel.RelabelRule> relabel =
        RelabelConfigs.read(
            s, "write_relabel_configs", "empty or null relabeling rule in remote write config");
    HttpClientConfig http = HttpClients.read(s, RemoteWriteConfig.DEFAULT_HTTP_CLIENT);
    return new RemoteWriteConfig(
        url,
        s.string("name", ""),
        s.duration("remote_timeout", RemoteWriteConfig.DEFAULT_REMOTE_TIMEOUT),
        headers,
        relabel,
        http,
        queue(s),
        metadata(s),
        proto,
        s.bool("send_exemplars", false),
        s.bool("send_native_histograms", false));
  }

  private static QueueConfig queue(Section parent) throws ConfigException {
    Section q = parent.section("queue_config", "config.QueueConfig", QUEUE);
    QueueConfig d = QueueConfig.DEFAULT;
    if (q == null) {
      return d;
    }
    return new QueueConfig(
        positiveInt(q, "capacity", d.capacity()),
        positiveInt(q, "min_shards", d.minShards()),
        positiveInt(q, "max_shards", d.maxShards()),
        positiveInt(q, "max_samples_per_send", d.maxSamplesPerSend()),
        q.duration("batch_send_deadline", d.batchSendDeadline()),
        q.duration("min_backoff", d.minBackoff()),
        q.duration("max_backoff", d.maxBackoff()),
        q.bool("retry_on_http_429", d.retryOnHttp429()));
  }

  /**
   * A Go {@code int} field where Prometheus treats 0 as "the default"; a negative value is an error
   * here (Prometheus reads it and misbehaves later).
   */
  private static int positiveInt(Section s, String key, int dflt) throws ConfigException {
    long v = s.integer(key, 0);
    if (v < 0 || v > Integer.MAX_VALUE) {
      throw s.error(key, key + " must not be negative, got " + v);
    }
    return v == 0 ? dflt : (int) v;
  }

  private static MetadataConfig metadata(Section parent) throws ConfigException {
    Section m = parent.section("metadata_config", "config.MetadataConfig", METADATA);
    MetadataConfig d = MetadataConfig.DEFAULT;
    if (m == null) {
      return d;
    }
    return new MetadataConfig(
        m.bool("send", d.send()),
        m.duration("send_interval", d.sendInterval()),
        positiveInt(m, "max_samples_per_send", d.maxSamplesPerSend()));
  }

  static List<RemoteReadConfig> reads(Section top) throws ConfigException {
    List<RemoteReadConfig> out = new ArrayList<>();
    Set<String> names = new HashSet<>();
    List<YamlNode> items = top.items("remote_read", "[]*config.RemoteReadConfig");
    for (int i = 0; i < items.size(); i++) {
      YamlNode n = items.get(i);
      String path = "remote_read[" + i + "]";
      if (n instanceof Scalar sc && sc.isNull()) {
        throw top.source.error(n.mark(), path, "empty or null remote read config section");
      }
      Section s = Section.of(top.source, n, path, "config.RemoteReadConfig", READ);
      URI url = url(s, "remote_read");
      Map<String, String> headers = headers(s);
      HttpClientConfig http = HttpClients.read(s, HttpClientConfig.DEFAULT);
      Labels required = Labels.of(s.stringMap("required_matchers", "model.LabelSet"));
      RemoteReadConfig c =
          new RemoteReadConfig(
              url,
              s.string("name", ""),
              s.duration("remote_timeout", RemoteReadConfig.DEFAULT_REMOTE_TIMEOUT),
              headers,
              s.bool("read_recent", false),
              required,
              s.bool("filter_external_labels", true),
              http);
      if (!c.name().isEmpty() && !names.add(c.name())) {
        throw s.error(
            "name", "found multiple remote read configs with job name \"" + c.name() + "\"");
      }
      out.add(c);
    }
    return out;
  }

  private static URI url(Section s, String what) throws ConfigException {
    String text = s.string("url", "");
    if (text.isEmpty()) {
      throw s.error("url", "url for " + what + " is empty");
    }
    return HttpClients.url(s, "url", text);
  }

  private static Map<String, String> headers(Section s) throws ConfigException {
    Map<String, String> headers = s.stringMap("headers", "map[string]string");
    for (String h : headers.keySet()) {
      String lower = h.toLowerCase(Locale.ROOT);
      if (lower.equals("authorization")) {
        throw s.source.error(
            s.entryMark("headers", h),
            s.field("headers"),
            "authorization header must be changed via the basic_auth, authorization, oauth2,"
                + " sigv4, azuread or google_iam parameter");
      }
      if (RESERVED_HEADERS.contains(lower)) {
        throw s.source.error(
            s.entryMark("headers", h),
            s.field("headers"),
            h + " is a reserved header. It must not be changed");
      }
    }
    return headers;
  }
}
