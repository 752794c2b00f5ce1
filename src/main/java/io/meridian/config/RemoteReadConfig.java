package io.meridian.config;

import io.meridian.model.Labels;
import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * One entry of {@code remote_read}.
 *
 * @param name "" when not set
 * @param requiredMatchers equality matchers a selector must have for this endpoint to be asked
 */
public record RemoteReadConfig(
    URI url,
    String name,
    Duration remoteTimeout,
    Map<String, String> headers,
    boolean readRecent,
    Labels requiredMatchers,
    boolean filterExternalLabels,
    HttpClientConfig httpClient) {

  public RemoteReadConfig {
    headers = Map.copyOf(headers);
  }

  public static final Duration DEFAULT_REMOTE_TIMEOUT = Duration.ofMinutes(1);
}
