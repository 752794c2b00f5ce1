package io.meridian.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.meridian.config.Pem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A throwaway PKI made with {@code openssl} at test time, in the key forms openssl writes: a CA; a
 * server certificate for {@code IP:127.0.0.1}, {@code DNS:metrics.test} and {@code DNS:*.wild.test}
 * (PKCS#8 EC key); client certificates with an RSA key in PKCS#1 and an EC key in SEC1 (after an
 * {@code EC PARAMETERS} block); an Ed25519 key; and encrypted keys. Tests that need it are skipped,
 * saying why, where openssl is missing.
 */
public final class TestCerts {
  public static final String SERVER_NAME = "metrics.test";

  private static final String CONFIG =
      """
      [req]
      distinguished_name = dn
      prompt = no
      [dn]
      CN = unused
      [ca]
      basicConstraints = critical, CA:TRUE
      keyUsage = critical, keyCertSign, cRLSign
      subjectKeyIdentifier = hash
      [server]
      basicConstraints = CA:FALSE
      keyUsage = critical, digitalSignature, keyEncipherment
      extendedKeyUsage = serverAuth
      subjectAltName = IP:127.0.0.1, DNS:metrics.test, DNS:*.wild.test
      [client]
      basicConstraints = CA:FALSE
      keyUsage = critical, digitalSignature, keyEncipherment
      extendedKeyUsage = clientAuth
      """;

  public final Path dir;
  public final Path caCert;
  public final Path serverCert;
  public final Path serverKey;

  /** RSA key in PKCS#1 ({@code RSA PRIVATE KEY}) and its certificate. */
  public final Path clientKey;

  public final Path clientCert;

  /** EC key in SEC1 ({@code EC PRIVATE KEY}, after {@code EC PARAMETERS}) and its certificate. */
  public final Path clientEcKey;

  public final Path clientEcCert;

  /** The RSA client key again, in PKCS#8. */
  public final Path clientPkcs8Key;

  /** An Ed25519 key (PKCS#8) and its certificate. */
  public final Path edKey;

  public final Path edCert;

  /** The RSA client key encrypted, as PKCS#8 and as PKCS#1 with {@code Proc-Type} headers. */
  public final Path encryptedKey;

  public final Path encryptedTraditionalKey;

  /** A second CA that signed nothing here. */
  public final Path otherCaCert;

  private TestCerts(Path dir) {
    this.dir = dir;
    caCert = dir.resolve("ca.pem");
    serverCert = dir.resolve("server.pem");
    serverKey = dir.resolve("server.key");
    clientKey = dir.resolve("client.key");
    clientCert = dir.resolve("client.pem");
    clientEcKey = dir.resolve("client-ec.key");
    clientEcCert = dir.resolve("client-ec.pem");
    clientPkcs8Key = dir.resolve("client-pkcs8.key");
    edKey = dir.resolve("ed.key");
    edCert = dir.resolve("ed.pem");
    encryptedKey = dir.resolve("encrypted.key");
    encryptedTraditionalKey = dir.resolve("encrypted-traditional.key");
    otherCaCert = dir.resolve("other-ca.pem");
  }

  /** Makes everything in {@code dir}; skips the calling test when openssl is not there. */
  public static TestCerts generate(Path dir) throws IOException, InterruptedException {
    assumeTrue(hasOpenssl(), "openssl is not installed: skipping the TLS tests that need it");
    TestCerts c = new TestCerts(dir);
    c.make();
    return c;
  }

  private static boolean hasOpenssl() {
    try {
      Process p = new ProcessBuilder("openssl", "version").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private void make() throws IOException, InterruptedException {
    Files.writeString(dir.resolve("openssl.cnf"), CONFIG);
    ca("ca", "Meridian test CA");
    ca("other-ca", "Another test CA");
    openssl(
        "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "server.key");
    sign("server", "server.key", "server.pem", "server", 2);
    openssl("genrsa", "-traditional", "-out", "client.key", "2048");
    sign("client", "client.key", "client.pem", "client", 3);
    openssl("ecparam", "-name", "prime256v1", "-genkey", "-out", "client-ec.key");
    sign("client-ec", "client-ec.key", "client-ec.pem", "client", 4);
    openssl("pkcs8", "-topk8", "-nocrypt", "-in", "client.key", "-out", "client-pkcs8.key");
    openssl("genpkey", "-algorithm", "ed25519", "-out", "ed.key");
    sign("ed", "ed.key", "ed.pem", "client", 5);
    openssl(
        "pkcs8", "-topk8", "-in", "client.key", "-passout", "pass:secret", "-out", "encrypted.key");
    openssl(
        "rsa",
        "-in",
        "client.key",
        "-aes128",
        "-traditional",
        "-passout",
        "pass:secret",
        "-out",
        "encrypted-traditional.key");
  }

  private void ca(String name, String cn) throws IOException, InterruptedException {
    openssl(
        "req",
        "-x509",
        "-new",
        "-config",
        "openssl.cnf",
        "-extensions",
        "ca",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-nodes",
        "-keyout",
        name + ".key",
        "-out",
        name + ".pem",
        "-days",
        "2",
        "-subj",
        "/CN=" + cn);
  }

  private void sign(String cn, String key, String cert, String profile, int serial)
      throws IOException, InterruptedException {
    openssl(
        "req",
        "-new",
        "-config",
        "openssl.cnf",
        "-key",
        key,
        "-out",
        cn + ".csr",
        "-subj",
        "/CN=" + cn);
    openssl(
        "x509",
        "-req",
        "-in",
        cn + ".csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-set_serial",
        Integer.toString(serial),
        "-days",
        "2",
        "-extfile",
        "openssl.cnf",
        "-extensions",
        profile,
        "-out",
        cert);
  }

  private void openssl(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("openssl"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException("failed: " + String.join(" ", cmd) + "\n" + out);
    }
  }

  /**
   * A server context with the server certificate; with {@code clientCa}, it trusts client
   * certificates that CA signed (the server decides whether it requires one).
   */
  public SSLContext serverContext(Path clientCa) throws IOException, GeneralSecurityException {
    char[] password = "test".toCharArray();
    KeyStore keys = KeyStore.getInstance("PKCS12");
    keys.load(null, null);
    List<X509Certificate> chain = Pem.certificates(serverCert);
    keys.setKeyEntry(
        "server", Pem.privateKey(serverKey), password, chain.toArray(X509Certificate[]::new));
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(keys, password);
    TrustManagerFactory tmf = null;
    if (clientCa != null) {
      KeyStore trusted = KeyStore.getInstance("PKCS12");
      trusted.load(null, null);
      trusted.setCertificateEntry("ca", Pem.certificates(clientCa).get(0));
      tmf = TrustManagerFactory.getInstance("PKIX");
      tmf.init(trusted);
    }
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf.getKeyManagers(), tmf == null ? null : tmf.getTrustManagers(), null);
    return ctx;
  }
}
