package io.meridian.config;

import java.net.InetAddress;
import java.net.Socket;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Checks a server's certificate as Go's TLS client does for Prometheus: the chain against the
 * trusted CAs, then the leaf against {@code server_name} when set, else the host connected to, by
 * its DNS or IP subject alternative names (no common-name fallback); with {@code
 * insecure_skip_verify}, nothing.
 *
 * <p>The check is done here because the JDK's HTTP client always asks for its own hostname check
 * against the URL's host, which a trust manager of this kind replaces: that is how {@code
 * server_name} becomes the name checked and how {@code insecure_skip_verify} skips it.
 */
final class ServerTrust extends X509ExtendedTrustManager {
  private final X509ExtendedTrustManager chains;
  private final String serverName;

  /**
   * @param chains checks chains against the trusted CAs; null trusts every server
   * @param serverName the name the certificate must be valid for; "" for the host connected to
   */
  ServerTrust(X509ExtendedTrustManager chains, String serverName) {
    this.chains = chains;
    this.serverName = serverName;
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    check(chain, authType, engine == null ? null : engine.getPeerHost());
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    SSLSession s = socket instanceof SSLSocket ssl ? ssl.getHandshakeSession() : null;
    check(chain, authType, s == null ? null : s.getPeerHost());
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    check(chain, authType, null);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    throw new CertificateException("a client's trust manager does not check clients");
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    throw new CertificateException("a client's trust manager does not check clients");
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    throw new CertificateException("a client's trust manager does not check clients");
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return chains == null ? new X509Certificate[0] : chains.getAcceptedIssuers();
  }

  private void check(X509Certificate[] chain, String authType, String host)
      throws CertificateException {
    if (chains == null) {
      return;
    }
    try {
      // The variant without a connection: it checks the chain and leaves the name to us.
      chains.checkServerTrusted(chain, authType);
    } catch (CertificateException e) {
      throw new CertificateException(chainReason(e), e);
    }
    String name = serverName.isEmpty() ? host : serverName;
    if (name == null || name.isEmpty()) {
      throw new CertificateException("x509: no server name to check the certificate against");
    }
    verifyName(chain[0], name);
  }

  private static String chainReason(CertificateException e) {
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (c instanceof CertPathBuilderException) {
        return "x509: certificate signed by unknown authority";
      }
    }
    return "x509: " + e.getMessage();
  }

  /** Whether {@code cert} is valid for {@code host}, as Go's {@code VerifyHostname} decides. */
  static void verifyName(X509Certificate cert, String host) throws CertificateException {
    String h = host;
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    List<String> dns = new ArrayList<>();
    List<String> ips = new ArrayList<>();
    sans(cert, dns, ips);
    InetAddress ip = literal(h);
    if (ip != null) {
      for (String s : ips) {
        if (ip.equals(literal(s))) {
          return;
        }
      }
      throw new CertificateException(
          ips.isEmpty()
              ? "x509: cannot validate certificate for "
                  + h
                  + " because it doesn't contain any IP SANs"
              : "x509: certificate is valid for " + String.join(", ", ips) + ", not " + h);
    }
    String wanted = stripDot(h.toLowerCase(Locale.ROOT));
    for (String d : dns) {
      if (matches(stripDot(d.toLowerCase(Locale.ROOT)), wanted)) {
        return;
      }
    }
    throw new CertificateException(
        dns.isEmpty()
            ? "x509: certificate is not valid for any names, but wanted to match " + h
            : "x509: certificate is valid for " + String.join(", ", dns) + ", not " + h);
  }

  private static void sans(X509Certificate cert, List<String> dns, List<String> ips)
      throws CertificateParsingException {
    Collection<List<?>> all = cert.getSubjectAlternativeNames();
    if (all == null) {
      return;
    }
    for (List<?> san : all) {
      int type = (Integer) san.get(0);
      if (type == 2) {
        dns.add((String) san.get(1));
      } else if (type == 7) {
        ips.add((String) san.get(1));
      }
    }
  }

  /** A pattern matches itself, and {@code *.rest} matches one label before {@code .rest}. */
  private static boolean matches(String pattern, String host) {
    if (pattern.equals(host)) {
      return true;
    }
    if (!pattern.startsWith("*.")) {
      return false;
    }
    int dot = host.indexOf('.');
    return dot > 0 && host.substring(dot).equals(pattern.substring(1));
  }

  private static String stripDot(String s) {
    return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
  }

  private static InetAddress literal(String s) {
    try {
      return InetAddress.ofLiteral(s);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
