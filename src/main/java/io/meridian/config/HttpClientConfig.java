package io.meridian.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Optional;

/**
 * How to talk HTTP to a target or remote endpoint. The old {@code bearer_token} and {@code
 * bearer_token_file} fields are read into {@link #authorization} with type {@code Bearer}, as
 * Prometheus does.
 *
 * @param proxyUrl "" for none
 */
public record HttpClientConfig(
    Optional<BasicAuth> basicAuth,
    Optional<Authorization> authorization,
    TlsConfig tls,
    boolean followRedirects,
    boolean enableHttp2,
    String proxyUrl) {

  /** Prometheus's defaults for scraping and Alertmanager: redirects followed, HTTP/2 on. */
  public static final HttpClientConfig DEFAULT =
      new HttpClientConfig(Optional.empty(), Optional.empty(), TlsConfig.NONE, true, true, "");

  /**
   * The {@code Authorization} header value {@code basic_auth} or {@code authorization} give, with
   * credential files read now (they may be rotated between requests, and Prometheus reads them per
   * request too); empty when neither is set.
   *
   * @throws IOException when a credential file cannot be read
   */
  public Optional<String> authorizationHeader() throws IOException {
    if (basicAuth.isPresent()) {
      BasicAuth a = basicAuth.get();
      String user = a.usernameFile().isEmpty() ? a.username() : readSecret(a.usernameFile());
      String pass = a.passwordFile().isEmpty() ? a.password() : readSecret(a.passwordFile());
      byte[] token = (user + ":" + pass).getBytes(StandardCharsets.UTF_8);
      return Optional.of("Basic " + Base64.getEncoder().encodeToString(token));
    }
    if (authorization.isPresent()) {
      Authorization a = authorization.get();
      String credentials =
          a.credentialsFile().isEmpty() ? a.credentials() : readSecret(a.credentialsFile());
      return Optional.of(a.type() + " " + credentials);
    }
    return Optional.empty();
  }

  private static String readSecret(String file) throws IOException {
    return Files.readString(Path.of(file), StandardCharsets.UTF_8).strip();
  }

  /**
   * {@code basic_auth}. File paths are joined to the config's directory; "" where not set.
   *
   * @param password "" when not set or read from {@code passwordFile}
   */
  public record BasicAuth(
      String username, String usernameFile, String password, String passwordFile) {}

  /**
   * {@code authorization}: the header {@code Authorization: TYPE CREDENTIALS}.
   *
   * @param type {@code Bearer} unless set
   * @param credentialsFile joined to the config's directory; "" when not set
   */
  public record Authorization(String type, String credentials, String credentialsFile) {}

  /**
   * {@code tls_config}. File paths are joined to the config's directory; "" where not set.
   *
   * @param minVersion {@code TLS10} ... {@code TLS13}, or "" for the default
   */
  public record TlsConfig(
      String caFile,
      String certFile,
      String keyFile,
      String serverName,
      boolean insecureSkipVerify,
      String minVersion) {

    public static final TlsConfig NONE = new TlsConfig("", "", "", "", false, "");
  }
}
