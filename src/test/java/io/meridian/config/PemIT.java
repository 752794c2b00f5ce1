package io.meridian.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meridian.config.HttpClientConfig.TlsConfig;
import io.meridian.testing.TestCerts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** PEM files as openssl writes them, made at test time. */
class PemIT {
  @TempDir static Path dir;
  private static TestCerts certs;

  @BeforeAll
  static void generate() throws Exception {
    certs = TestCerts.generate(dir);
  }

  private static TlsConfig client(Path cert, Path key) {
    return new TlsConfig(certs.caCert.toString(), cert.toString(), key.toString(), "", false, "");
  }

  @Test
  void readsEveryKeyFormOpensslWrites() throws IOException {
    PrivateKey pkcs1 = Pem.privateKey(certs.clientKey);
    assertThat(pkcs1.getAlgorithm()).isEqualTo("RSA");
    assertThat(Pem.privateKey(certs.clientPkcs8Key).getEncoded()).isEqualTo(pkcs1.getEncoded());
    assertThat(Files.readString(certs.clientEcKey)).startsWith("-----BEGIN EC PARAMETERS-----");
    assertThat(Pem.privateKey(certs.clientEcKey).getAlgorithm()).isEqualTo("EC");
    assertThat(Pem.privateKey(certs.serverKey).getAlgorithm()).isEqualTo("EC");
    assertThat(Pem.privateKey(certs.edKey).getAlgorithm()).isIn("EdDSA", "Ed25519");
  }

  @Test
  void keysMatchTheirCertificates() throws IOException {
    TlsContexts.client(client(certs.clientCert, certs.clientKey));
    TlsContexts.client(client(certs.clientCert, certs.clientPkcs8Key));
    TlsContexts.client(client(certs.clientEcCert, certs.clientEcKey));
    TlsContexts.client(client(certs.edCert, certs.edKey));
    assertThatThrownBy(() -> TlsContexts.client(client(certs.clientCert, certs.clientEcKey)))
        .hasMessage(
            "unable to use specified client cert ("
                + certs.clientCert
                + ") & key ("
                + certs.clientEcKey
                + "): tls: private key does not match public key");
  }

  @Test
  void readsEveryCertificateOfABundle() throws IOException {
    Path bundle = dir.resolve("bundle.pem");
    Files.writeString(
        bundle,
        "# two CAs\n" + Files.readString(certs.caCert) + Files.readString(certs.otherCaCert));
    assertThat(Pem.certificates(bundle))
        .extracting(X509Certificate::getSubjectX500Principal)
        .extracting(Object::toString)
        .containsExactly("CN=Meridian test CA", "CN=Another test CA");
  }

  @Test
  void badFilesFailNamingTheFile() throws IOException {
    Path missing = dir.resolve("missing.pem");
    assertThatThrownBy(() -> Pem.certificates(missing))
        .hasMessage("open " + missing + ": no such file or directory");
    assertThatThrownBy(() -> Pem.privateKey(certs.encryptedKey))
        .hasMessageContaining("encrypted private keys are not supported (" + certs.encryptedKey);
    assertThatThrownBy(() -> Pem.privateKey(certs.encryptedTraditionalKey))
        .hasMessageContaining("encrypted private keys are not supported");
    assertThatThrownBy(() -> Pem.privateKey(certs.caCert))
        .hasMessage("tls: failed to find any PEM data in key input " + certs.caCert);
    Path garbled = dir.resolve("garbled.key");
    Files.writeString(garbled, "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
    assertThatThrownBy(() -> Pem.privateKey(garbled))
        .hasMessageStartingWith("tls: failed to parse private key in " + garbled + ": ");

    assertThatThrownBy(
            () -> TlsContexts.client(new TlsConfig(missing.toString(), "", "", "", false, "")))
        .hasMessage(
            "unable to load specified CA cert "
                + missing
                + ": open "
                + missing
                + ": no such file or directory");
    assertThatThrownBy(() ->
            TlsContexts.client(new TlsConfig(certs.clientKey.toString(), "", "", "", false, "")))
        .hasMessage("unable to use specified CA cert " + certs.clientKey);
    assertThatThrownBy(() -> TlsContexts.client(client(certs.clientCert, missing)))
        .hasMessage(
            "unable to read specified client cert ("
                + certs.clientCert
                + ") & key ("
                + missing
                + "): open "
                + missing
                + ": no such file or directory");
  }

  @Test
  void minVersionChoosesTheProtocolsOffered() {
    String[] supported = {"TLSv1.3", "TLSv1.2", "TLSv1.1", "TLSv1", "SSLv3"};
    assertThat(TlsContexts.protocols("", supported)).containsExactly("TLSv1.3", "TLSv1.2");
    assertThat(TlsContexts.protocols("TLS13", supported)).containsExactly("TLSv1.3");
    assertThat(TlsContexts.protocols("TLS10", supported))
        .containsExactly("TLSv1.3", "TLSv1.2", "TLSv1.1", "TLSv1");
  }
}
