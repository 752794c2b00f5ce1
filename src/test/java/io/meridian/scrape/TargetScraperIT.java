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
  void gunzipsEveryMemberAndSkipsOptionalHeaderFields() throws IOException {
    // Two members, the first with FEXTRA, FNAME and FCOMMENT set, then bytes that are no member.
    byte[] first = gzip("a 1\n".repeat(50));
    java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
    all.write(first, 0, 3);
    all.write(4 | 8 | 16);
    all.write(first, 4, 6);
    all.write(new byte[] {2, 0, 'x', 'y', 'n', 0, 'c', 0}); // XLEN 2 "xy", FNAME "n", FCOMMENT "c"
    all.write(first, 10, first.length - 10);
    byte[] second = gzip("b 2\n");
    all.write(second);
    all.write(new byte[] {'j', 'u', 'n', 'k'});
    exporter.rawGzip = all.toByteArray();
    Fetched f = scraper("").fetch();
    assertThat(new String(f.body(), 0, f.length(), StandardCharsets.UTF_8))
        .isEqualTo("a 1\n".repeat(50) + "b 2\n");
  }

  @Test
  void aBrokenGzipBodyFailsWithAReason() throws IOException {
    byte[] good = gzip("c 3\n".repeat(100));
    byte[] badCrc = good.clone();
    badCrc[badCrc.length - 8] ^= 1;
    exporter.rawGzip = badCrc;
    TargetScraper s = scraper("");
    assertThatThrownBy(s::fetch).hasMessageContaining("corrupt gzip trailer");
    exporter.rawGzip = java.util.Arrays.copyOf(good, good.length / 2);
    // "gzip body ends early" from the JDK's inflater, "bad or truncated" from libdeflate.
    assertThatThrownBy(s::fetch).hasMessageMatching(".*(gzip body ends early|truncated).*");
    exporter.rawGzip = "c 3\n".getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(s::fetch).hasMessageContaining("Not in GZIP format");
    byte[] garbled = good.clone();
    for (int i = 10; i < 20; i++) {
      garbled[i] = (byte) 0xff;
    }
    exporter.rawGzip = garbled;
    assertThatThrownBy(s::fetch).hasMessageContaining("invalid gzip body");
    // The scraper still works after all of that.
    exporter.rawGzip = good;
    Fetched f = s.fetch();
    assertThat(f.length()).isEqualTo(400);
  }

  private static byte[] gzip(String text) throws IOException {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    try (java.util.zip.GZIPOutputStream z = new java.util.zip.GZIPOutputStream(out)) {
      z.write(text.getBytes(StandardCharsets.UTF_8));
    }
    return out.toByteArray();
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
