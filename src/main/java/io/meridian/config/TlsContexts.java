package io.meridian.config;

import io.meridian.config.HttpClientConfig.TlsConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Turns a {@code tls_config} into what a JDK client connects with, from PEM files: the CAs of
 * {@code ca_file} (else the system's), a client certificate and key for mutual TLS, {@code
 * server_name} and {@code insecure_skip_verify} (see {@link ServerTrust}), and {@code min_version}
 * as the protocols offered (TLS 1.0 and 1.1 stay off where the JDK's security policy disables
 * them). Scrapes use it now; remote write and the server's own TLS are meant to.
 *
 * <p>Scrapes apply the parameters to their own TLS sockets, so {@code server_name} is the SNI sent
 * to every target. (The JDK's HTTP client, which remote write may use, sends the URL's host as SNI
 * when it is a name, whatever the parameters say.)
 */
public final class TlsContexts {
  /** {@code min_version} values, oldest first, and the JDK's names for the same protocols. */
  private static final List<String> MIN_VERSIONS = List.of("TLS10", "TLS11", "TLS12", "TLS13");

  private static final List<String> VERSIONS = List.of("TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3");

  /** Go's default minimum for clients, which Prometheus keeps. */
  private static final String DEFAULT_MIN_VERSION = "TLS12";

  private TlsContexts() {}

  /**
   * What a client needs: the context, and the parameters (protocols, and {@code server_name} as SNI
   * where the client takes it from them) to connect with.
   */
  public record Client(SSLContext context, SSLParameters parameters) {}

  /**
   * A client for {@code tls}.
   *
   * @throws IOException when a file cannot be read or used, in Prometheus's words, naming it
   */
  public static Client client(TlsConfig tls) throws IOException {
    X509ExtendedTrustManager chains = tls.insecureSkipVerify() ? null : trustedCas(tls.caFile());
    KeyManager[] keys =
        tls.certFile().isEmpty()
            ? null
            : new KeyManager[] {clientKey(tls.certFile(), tls.keyFile())};
    SSLContext ctx;
    try {
      ctx = SSLContext.getInstance("TLS");
      ctx.init(keys, new TrustManager[] {new ServerTrust(chains, tls.serverName())}, null);
    } catch (GeneralSecurityException e) {
      throw new IOException("TLS setup failed: " + e.getMessage(), e);
    }
    SSLParameters params = ctx.getDefaultSSLParameters();
    params.setProtocols(
        protocols(tls.minVersion(), ctx.getSupportedSSLParameters().getProtocols()));
    params.setEndpointIdentificationAlgorithm(null);
    if (!tls.serverName().isEmpty() && !isIpLiteral(tls.serverName())) {
      params.setServerNames(List.of(new SNIHostName(tls.serverName())));
    }
    return new Client(ctx, params);
  }

  /** The files {@code tls} reads, to notice when they change. */
  public static List<Path> files(TlsConfig tls) {
    List<Path> out = new ArrayList<>();
    for (String f : List.of(tls.caFile(), tls.certFile(), tls.keyFile())) {
      if (!f.isEmpty()) {
        out.add(Path.of(f));
      }
    }
    return out;
  }

  /** The protocols from {@code minVersion} up that the JDK supports, newest first. */
  static String[] protocols(String minVersion, String[] supported) {
    String min = minVersion.isEmpty() ? DEFAULT_MIN_VERSION : minVersion;
    int from = Math.max(0, MIN_VERSIONS.indexOf(min));
    List<String> have = Arrays.asList(supported);
    List<String> out = new ArrayList<>();
    for (int i = VERSIONS.size() - 1; i >= from; i--) {
      if (have.contains(VERSIONS.get(i))) {
        out.add(VERSIONS.get(i));
      }
    }
    return out.toArray(String[]::new);
  }

  private static X509ExtendedTrustManager trustedCas(String caFile) throws IOException {
    try {
      KeyStore store = null;
      if (!caFile.isEmpty()) {
        List<X509Certificate> cas;
        try {
          cas = Pem.certificates(Path.of(caFile));
        } catch (IOException e) {
          throw new IOException(
              "unable to load specified CA cert " + caFile + ": " + e.getMessage(), e);
        }
        if (cas.isEmpty()) {
          throw new IOException("unable to use specified CA cert " + caFile);
        }
        store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        for (int i = 0; i < cas.size(); i++) {
          store.setCertificateEntry("ca" + i, cas.get(i));
        }
      }
      TrustManagerFactory f = TrustManagerFactory.getInstance("PKIX");
      f.init(store);
      for (TrustManager tm : f.getTrustManagers()) {
        if (tm instanceof X509ExtendedTrustManager x) {
          return x;
        }
      }
      throw new IOException("no X.509 trust manager in the JDK");
    } catch (GeneralSecurityException e) {
      throw new IOException("unable to use specified CA cert " + caFile + ": " + e.getMessage(), e);
    }
  }

  private static X509ExtendedKeyManager clientKey(String certFile, String keyFile)
      throws IOException {
    String which = "specified client cert (" + certFile + ") & key (" + keyFile + ")";
    List<X509Certificate> chain;
    PrivateKey key;
    try {
      chain = Pem.certificates(Path.of(certFile));
      key = Pem.privateKey(Path.of(keyFile));
    } catch (IOException e) {
      throw new IOException("unable to read " + which + ": " + e.getMessage(), e);
    }
    if (chain.isEmpty()) {
      throw new IOException(
          "unable to use " + which + ": tls: failed to find any PEM data in certificate input");
    }
    if (!matches(key, chain.get(0))) {
      throw new IOException(
          "unable to use " + which + ": tls: private key does not match public key");
    }
    return new ClientKey(key, chain.toArray(X509Certificate[]::new));
  }

  /** Whether {@code key} signs what {@code cert}'s public key verifies. */
  private static boolean matches(PrivateKey key, X509Certificate cert) {
    String algorithm =
        switch (key.getAlgorithm()) {
          case "RSA" -> "SHA256withRSA";
          case "EC" -> "SHA256withECDSA";
          case "EdDSA", "Ed25519", "Ed448" -> "EdDSA";
          default -> null;
        };
    if (algorithm == null) {
      return key.getAlgorithm().equals(cert.getPublicKey().getAlgorithm());
    }
    try {
      byte[] probe = "meridian key check".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
      Signature s = Signature.getInstance(algorithm);
      s.initSign(key);
      s.update(probe);
      byte[] signature = s.sign();
      Signature v = Signature.getInstance(algorithm);
      v.initVerify(cert.getPublicKey());
      v.update(probe);
      return v.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  private static boolean isIpLiteral(String s) {
    try {
      InetAddress.ofLiteral(s);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /**
   * The one client certificate, offered whatever authorities the server names, as Go does; only the
   * key type must be one the server accepts.
   */
  private static final class ClientKey extends X509ExtendedKeyManager {
    private static final String ALIAS = "client";
    private final PrivateKey key;
    private final X509Certificate[] chain;

    ClientKey(PrivateKey key, X509Certificate[] chain) {
      this.key = key;
      this.chain = chain;
    }

    @Override
    public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
      return choose(keyTypes);
    }

    @Override
    public String chooseEngineClientAlias(
        String[] keyTypes, Principal[] issuers, SSLEngine engine) {
      return choose(keyTypes);
    }

    private String choose(String[] keyTypes) {
      return keyTypes != null && Arrays.asList(keyTypes).contains(key.getAlgorithm())
          ? ALIAS
          : null;
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
      return key.getAlgorithm().equals(keyType) ? new String[] {ALIAS} : null;
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
      return null;
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
      return null;
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
      return ALIAS.equals(alias) ? chain.clone() : null;
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
      return ALIAS.equals(alias) ? key : null;
    }
  }
}
