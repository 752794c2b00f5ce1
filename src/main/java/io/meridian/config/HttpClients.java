package io.meridian.config;

import io.meridian.config.HttpClientConfig.Authorization;
import io.meridian.config.HttpClientConfig.BasicAuth;
import io.meridian.config.HttpClientConfig.TlsConfig;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the HTTP client fields that scrape, remote and Alertmanager configs share (Prometheus's
 * inlined {@code HTTPClientConfig}), with its checks and messages.
 */
final class HttpClients {
  /** The fields a section with an inlined HTTP client config has besides its own. */
  static final Set<String> FIELDS =
      Set.of(
          "basic_auth",
          "authorization",
          "bearer_token",
          "bearer_token_file",
          "tls_config",
          "follow_redirects",
          "enable_http2",
          "proxy_url");

  private static final Set<String> BASIC_AUTH =
      Set.of("username", "username_file", "password", "password_file");
  private static final Set<String> AUTHORIZATION =
      Set.of("type", "credentials", "credentials_file");
  private static final Set<String> TLS =
      Set.of(
          "ca_file", "cert_file", "key_file", "server_name", "insecure_skip_verify", "min_version");
  private static final Set<String> TLS_VERSIONS = Set.of("TLS10", "TLS11", "TLS12", "TLS13");

  private HttpClients() {}

  /** {@code own} fields plus the HTTP client's. */
  static Set<String> with(Set<String> own) {
    Set<String> all = new HashSet<>(own);
    all.addAll(FIELDS);
    return Set.copyOf(all);
  }

  static HttpClientConfig read(Section s, HttpClientConfig defaults) throws ConfigException {
    Source src = s.source;
    Section basic = s.section("basic_auth", "config.BasicAuth", BASIC_AUTH);
    Section authz = s.section("authorization", "config.Authorization", AUTHORIZATION);
    String bearer = s.string("bearer_token", "");
    String bearerFile = s.string("bearer_token_file", "");
    if (!bearer.isEmpty() && !bearerFile.isEmpty()) {
      throw s.error(
          "bearer_token_file",
          "at most one of bearer_token & bearer_token_file must be configured");
    }
    boolean hasBearer = !bearer.isEmpty() || !bearerFile.isEmpty();
    if (basic != null && hasBearer) {
      throw s.error(
          "basic_auth",
          "at most one of basic_auth, oauth2, bearer_token & bearer_token_file must be"
              + " configured");
    }
    Optional<BasicAuth> basicAuth = Optional.empty();
    if (basic != null) {
      String user = basic.string("username", "");
      String userFile = basic.string("username_file", "");
      String password = basic.string("password", "");
      String passwordFile = basic.string("password_file", "");
      if (!user.isEmpty() && !userFile.isEmpty()) {
        throw basic.error(
            "username_file",
            "at most one of basic_auth username & username_file must be configured");
      }
      if (!password.isEmpty() && !passwordFile.isEmpty()) {
        throw basic.error(
            "password_file",
            "at most one of basic_auth password & password_file must be configured");
      }
      basicAuth =
          Optional.of(
              new BasicAuth(user, src.resolve(userFile), password, src.resolve(passwordFile)));
    }
    Optional<Authorization> authorization = Optional.empty();
    if (authz != null) {
      if (hasBearer) {
        throw s.error(
            "authorization",
            "authorization is not compatible with bearer_token & bearer_token_file");
      }
      String type = authz.string("type", "").strip();
      String credentials = authz.string("credentials", "");
      String credentialsFile = authz.string("credentials_file", "");
      if (!credentials.isEmpty() && !credentialsFile.isEmpty()) {
        throw authz.error(
            "credentials_file",
            "at most one of authorization credentials & credentials_file must be configured");
      }
      if (type.isEmpty()) {
        type = "Bearer";
      }
      if (type.toLowerCase(Locale.ROOT).equals("basic")) {
        throw authz.error(
            "type", "authorization type cannot be set to \"basic\", use \"basic_auth\" instead");
      }
      if (basic != null) {
        throw s.error(
            "authorization",
            "at most one of basic_auth, oauth2 & authorization must be configured");
      }
      authorization =
          Optional.of(new Authorization(type, credentials, src.resolve(credentialsFile)));
    } else if (hasBearer) {
      authorization = Optional.of(new Authorization("Bearer", bearer, src.resolve(bearerFile)));
    }
    TlsConfig tls = tls(s);
    String proxy = s.string("proxy_url", "");
    if (!proxy.isEmpty()) {
      url(s, "proxy_url", proxy);
    }
    return new HttpClientConfig(
        basicAuth,
        authorization,
        tls,
        s.bool("follow_redirects", defaults.followRedirects()),
        s.bool("enable_http2", defaults.enableHttp2()),
        proxy);
  }

  private static TlsConfig tls(Section parent) throws ConfigException {
    Section t = parent.section("tls_config", "config.TLSConfig", TLS);
    if (t == null) {
      return TlsConfig.NONE;
    }
    String min = t.string("min_version", "");
    if (!min.isEmpty() && !TLS_VERSIONS.contains(min)) {
      throw t.error("min_version", "unknown TLS version: " + min);
    }
    String cert = t.string("cert_file", "");
    String key = t.string("key_file", "");
    if (!cert.isEmpty() && key.isEmpty()) {
      throw t.error(
          "cert_file", "client cert file \"" + cert + "\" specified without client key file");
    }
    if (!key.isEmpty() && cert.isEmpty()) {
      throw t.error(
          "key_file", "client key file \"" + key + "\" specified without client cert file");
    }
    Source src = parent.source;
    return new TlsConfig(
        src.resolve(t.string("ca_file", "")),
        src.resolve(cert),
        src.resolve(key),
        t.string("server_name", ""),
        t.bool("insecure_skip_verify", false),
        min);
  }

  /**
   * Parses an absolute URL as Prometheus's config does; unlike Go's parser, one without a scheme or
   * host is an error here.
   */
  static URI url(Section s, String key, String text) throws ConfigException {
    URI u;
    try {
      u = new URI(text);
    } catch (URISyntaxException e) {
      throw s.error(key, "parse \"" + text + "\": " + e.getReason());
    }
    if (u.getScheme() == null) {
      throw s.error(key, "parse \"" + text + "\": missing protocol scheme");
    }
    if (u.getHost() == null) {
      throw s.error(key, "parse \"" + text + "\": missing host");
    }
    return u;
  }
}
