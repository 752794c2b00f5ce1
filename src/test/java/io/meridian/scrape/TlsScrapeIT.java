package io.meridian.scrape;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import io.meridian.config.ScrapeConfig;
import io.meridian.testing.TestCerts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scrapes over HTTPS with {@code tls_config}, against exporters with certificates made by openssl.
 */
class TlsScrapeIT {
  @TempDir static Path dir;
  private static TestCerts certs;

  private final List<Exporter> exporters = new ArrayList<>();
  private final List<TargetScraper> scrapers = new ArrayList<>();

  @BeforeAll
  static void generate() throws Exception {
    certs = TestCerts.generate(dir);
  }

  @AfterEach
  void close() {
    scrapers.forEach(TargetScraper::close);
    exporters.forEach(Exporter::close);
  }

  /** An HTTPS exporter; with {@code clientAuth}, it requires a client certificate of the CA. */
  private Exporter exporter(boolean clientAuth, String... protocols) throws Exception {
    SSLContext ctx = certs.serverContext(clientAuth ? certs.caCert : null);
    Exporter e =
        new Exporter(
            new HttpsConfigurator(ctx) {
              @Override
              public void configure(HttpsParameters p) {
                SSLParameters sp = ctx.getDefaultSSLParameters();
                sp.setNeedClientAuth(clientAuth);
                if (protocols.length > 0) {
                  sp.setProtocols(protocols);
                }
                p.setSSLParameters(sp);
              }
            });
    e.body = "m 1\n";
    exporters.add(e);
    return e;
  }

  private String fetch(Exporter e, String tls) throws IOException {
    ScrapeConfig cfg =
        Configs.scrape(
            """
            scrape_configs:
              - job_name: j
                scheme: https
                scrape_interval: 5s
                scrape_timeout: 4s
                static_configs:
                  - targets: ['%s']
            """
                    .formatted(e.address())
                + tls.indent(4));
    ScrapeClient client = ScrapeClient.of(cfg.httpClient(), io.meridian.util.Clock.system());
    TargetScraper scraper = new TargetScraper(client, Targets.of(cfg).active().get(0), cfg);
    scrapers.add(scraper);
    Fetched f = scraper.fetch();
    return new String(f.body(), 0, f.length(), StandardCharsets.UTF_8);
  }

  private static String tls(String... fields) {
    return "tls_config: {" + String.join(", ", fields) + "}";
  }

  private static String ca() {
    return "ca_file: '" + certs.caCert + "'";
  }

  @Test
  void scrapesWithTheCaFileAndFailsWithoutIt() throws Exception {
    Exporter e = exporter(false);
    assertThat(fetch(e, tls(ca()))).isEqualTo("m 1\n");
    assertThatThrownBy(() -> fetch(e, ""))
        .isInstanceOf(IOException.class)
        .hasMessage(
            "tls: failed to verify certificate: x509: certificate signed by unknown authority");
    assertThatThrownBy(() -> fetch(e, tls("ca_file: '" + certs.otherCaCert + "'")))
        .hasMessage(
            "tls: failed to verify certificate: x509: certificate signed by unknown authority");
  }

  @Test
  void insecureSkipVerifyTrustsAnyServerUnderAnyName() throws Exception {
    Exporter e = exporter(false);
    assertThat(fetch(e, tls("insecure_skip_verify: true"))).isEqualTo("m 1\n");
    assertThat(fetch(e, tls("insecure_skip_verify: true", "server_name: elsewhere.test")))
        .isEqualTo("m 1\n");
  }

  @Test
  void serverNameIsSentAsSniAndIsTheNameChecked() throws Exception {
    Exporter e = exporter(false);
    assertThat(fetch(e, tls(ca(), "server_name: " + TestCerts.SERVER_NAME))).isEqualTo("m 1\n");
    assertThat(((ExtendedSSLSession) e.lastSession).getRequestedServerNames())
        .containsExactly(new SNIHostName(TestCerts.SERVER_NAME));
    // The certificate is also valid for 127.0.0.1, the host scraped: server_name replaces it.
    assertThatThrownBy(() -> fetch(e, tls(ca(), "server_name: elsewhere.test")))
        .hasMessage(
            "tls: failed to verify certificate: x509: certificate is valid for metrics.test,"
                + " *.wild.test, not elsewhere.test");
    // A wildcard stands for one label.
    assertThat(fetch(e, tls(ca(), "server_name: a.wild.test"))).isEqualTo("m 1\n");
    assertThatThrownBy(() -> fetch(e, tls(ca(), "server_name: a.b.wild.test")))
        .hasMessageEndingWith("not a.b.wild.test");
  }

  @Test
  void mutualTlsWithEitherKeyFormAndNotWithout() throws Exception {
    Exporter e = exporter(true);
    String rsa = "cert_file: '" + certs.clientCert + "', key_file: '" + certs.clientKey + "'";
    assertThat(fetch(e, tls(ca(), rsa))).isEqualTo("m 1\n");
    assertThat(((X509Certificate) e.lastSession.getPeerCertificates()[0]).getSubjectX500Principal())
        .hasToString("CN=client");
    String ec = "cert_file: '" + certs.clientEcCert + "', key_file: '" + certs.clientEcKey + "'";
    assertThat(fetch(e, tls(ca(), ec))).isEqualTo("m 1\n");
    assertThat(((X509Certificate) e.lastSession.getPeerCertificates()[0]).getSubjectX500Principal())
        .hasToString("CN=client-ec");
    // The server refuses at once; how the client hears of it varies (the server's alert, or the
    // connection closing, depending on where the client is in its handshake and request).
    e.lastRequest = null;
    assertThatThrownBy(() -> fetch(e, tls(ca()))).isInstanceOf(IOException.class);
    assertThat(e.lastRequest).as("no request served").isNull();
  }

  @Test
  void minVersionAboveWhatTheServerSpeaksFails() throws Exception {
    Exporter e = exporter(false, "TLSv1.2");
    assertThat(fetch(e, tls(ca(), "min_version: TLS12"))).isEqualTo("m 1\n");
    assertThat(e.lastSession.getProtocol()).isEqualTo("TLSv1.2");
    assertThatThrownBy(() -> fetch(e, tls(ca(), "min_version: TLS13")))
        .hasMessage("remote error: tls: protocol version");
  }

  @Test
  void aFileThatCannotBeUsedFailsTheScrapeNamingItUntilItCan() throws Exception {
    Exporter e = exporter(false);
    Path ca = dir.resolve("later-ca.pem");
    ScrapeConfig cfg =
        Configs.scrape(
            """
            scrape_configs:
              - job_name: j
                scheme: https
                tls_config: {ca_file: '%s'}
                static_configs:
                  - targets: ['%s']
            """
                .formatted(ca, e.address()));
    ScrapeClient client = ScrapeClient.of(cfg.httpClient(), io.meridian.util.Clock.system());
    TargetScraper scraper = new TargetScraper(client, Targets.of(cfg).active().get(0), cfg);
    scrapers.add(scraper);
    assertThatThrownBy(scraper::fetch)
        .hasMessage(
            "unable to load specified CA cert "
                + ca
                + ": open "
                + ca
                + ": no such file or directory");
    Files.writeString(ca, "not a certificate\n");
    assertThatThrownBy(scraper::fetch).hasMessage("unable to use specified CA cert " + ca);
    Files.copy(certs.caCert, ca, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    assertThat(scraper.fetch().length()).isEqualTo(4);
  }
}
