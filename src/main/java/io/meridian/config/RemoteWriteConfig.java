package io.meridian.config;

import io.meridian.relabel.RelabelRule;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One entry of {@code remote_write}.
 *
 * @param name "" when not set
 * @param protobufMessage {@code prometheus.WriteRequest} (remote write 1.0, the default) or {@code
 *     io.prometheus.write.v2.Request}
 */
public record RemoteWriteConfig(
    URI url,
    String name,
    Duration remoteTimeout,
    Map<String, String> headers,
    List<RelabelRule> writeRelabelConfigs,
    HttpClientConfig httpClient,
    QueueConfig queue,
    MetadataConfig metadata,
    String protobufMessage,
    boolean sendExemplars,
    boolean sendNativeHistograms) {

  public RemoteWriteConfig {
    headers = Map.copyOf(headers);
    writeRelabelConfigs = List.copyOf(writeRelabelConfigs);
  }

  public static final Duration DEFAULT_REMOTE_TIMEOUT = Duration.ofSeconds(30);
  public static final String PROTOBUF_V1 = "prometheus.WriteRequest";
  public static final String PROTOBUF_V2 = "io.prometheus.write.v2.Request";

  /** Remote write's HTTP defaults: redirects followed, HTTP/2 off (Prometheus 3). */
  public static final HttpClientConfig DEFAULT_HTTP_CLIENT =
      new HttpClientConfig(
          java.util.Optional.empty(),
          java.util.Optional.empty(),
          HttpClientConfig.TlsConfig.NONE,
          true,
          false,
          "");

  /** {@code queue_config}, with Prometheus 3's defaults. */
  public record QueueConfig(
      int capacity,
      int minShards,
      int maxShards,
      int maxSamplesPerSend,
      Duration batchSendDeadline,
      Duration minBackoff,
      Duration maxBackoff,
      boolean retryOnHttp429) {

    public static final QueueConfig DEFAULT =
        new QueueConfig(
            10_000,
            1,
            50,
            2000,
            Duration.ofSeconds(5),
            Duration.ofMillis(30),
            Duration.ofSeconds(5),
            false);
  }

  /** {@code metadata_config}. */
  public record MetadataConfig(boolean send, Duration sendInterval, int maxSamplesPerSend) {
    public static final MetadataConfig DEFAULT =
        new MetadataConfig(true, Duration.ofMinutes(1), 2000);
  }
}
