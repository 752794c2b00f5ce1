package io.meridian.scrape;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meridian.config.ScrapeConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TargetScraperIT {
  private final Exporter exporter;

  TargetScraperIT() throws IOException {
    exporter = new Exporter();
  }

  @AfterEach
  void close() {
    exporter.close();
  }

  private TargetScraper scraper(String extra) {
    ScrapeConfig cfg =
        Configs.scrape(
            """
            scrape_configs:
              - job_name: j
                scrape_interval: 1s
                scrape_timeout: 500ms
                params: {module: [m1]}
                static_configs:
                  - targets: ['%s']
            """
                    .formatted(exporter.address())
                + extra.indent(4));
    return new TargetScraper(
        ScrapeClient.of(cfg.httpClient(), io.meridian.util.Clock.system()),
        Targets.of(cfg).active().get(0),
        cfg);
  }

  @Test
  void sendsPrometheusHeadersAndReadsTheBody() throws IOException {
    exporter.body = "a 1\n";
    Fetched f = scraper("authorization: {credentials: s3cret}").fetch();
    assertThat(new String(f.body(), 0, f.length(), StandardCharsets.UTF_8)).isEqualTo("a 1\n");
    assertThat(f.contentType()).isEqualTo("text/plain; version=0.0.4; charset=utf-8");
    assertThat(exporter.lastRequest.getFirst("Accept"))
        .isEqualTo(
            "application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.6,"
                + "application/openmetrics-text;version=0.0.1;q=0.5,"
                + "text/plain;version=1.0.0;escaping=allow-utf-8;q=0.4,"
                + "text/plain;version=0.0.4;q=0.3,*/*;q=0.2");
    assertThat(exporter.lastRequest.getFirst("Accept-Encoding")).isEqualTo("gzip");
    assertThat(exporter.lastRequest.getFirst("X-Prometheus-Scrape-Timeout-Seconds"))
        .isEqualTo("0.5");
    assertThat(exporter.lastRequest.getFirst("Authorization")).isEqualTo("Bearer s3cret");
    assertThat(exporter.lastQuery).isEqualTo("module=m1");
  }

  @Test
  void basicAuth() throws IOException {
    scraper("basic_auth: {username: u, password: p}").fetch();
    assertThat(exporter.lastRequest.getFirst("Authorization")).isEqualTo("Basic dTpw");
  }

  @Test
  void gunzipsTheBody() throws IOException {
    exporter.body = "b 2\n".repeat(100);
    exporter.gzip = true;
    Fetched f = scraper("").fetch();
    assertThat(new String(f.body(), 0, f.length(), StandardCharsets.UTF_8))
        .isEqualTo("b 2\n".repeat(100));
  }

  @Test
  void badStatusFails() {
    exporter.status = 404;
    assertThatThrownBy(() -> scraper("").fetch())
        .isInstanceOf(IOException.class)
        .hasMessage("server returned HTTP status 404 Not Found");
  }

  @Test
  void bodySizeLimitFails() {
    exporter.body = "c 3\n".repeat(100);
    assertThatThrownBy(() -> scraper("body_size_limit: 100B").fetch())
        .hasMessage("body size limit exceeded (limit: 100 bytes)");
    exporter.gzip = true;
    assertThatThrownBy(() -> scraper("body_size_limit: 100B").fetch())
        .hasMessage("body size limit exceeded (limit: 100 bytes)");
  }

  @Test
  void timeoutFails() {
    CountDownLatch hold = new CountDownLatch(1);
    exporter.hold = hold;
    try {
      assertThatThrownBy(() -> scraper("").fetch())
          .isInstanceOf(IOException.class)
          .hasMessage("context deadline exceeded (timeout 0.5s)");
    } finally {
      hold.countDown();
    }
  }
}
