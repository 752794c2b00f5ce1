package io.meridian.tsdb.wal;

import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.testing.Golden;
import io.meridian.tsdb.wal.Records.RefSeries;
import io.meridian.tsdb.wal.Records.SampleBatch;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * WALs written by Prometheus 2.42 itself (see {@code golden/wal/README.md}): we decode them to the
 * reviewed text dumps, and writing their records again reproduces Prometheus's bytes.
 */
class WalFormatTest {
  private static final Path FIXTURES = Path.of("src", "test", "resources", "golden", "wal");
  private static final Path PLAIN = FIXTURES.resolve("prometheus-2.42-plain");
  private static final Path SNAPPY = FIXTURES.resolve("prometheus-2.42-snappy");

  @TempDir Path dir;

  @Test
  void decodesAnUncompressedWalPrometheusWrote() throws IOException {
    Golden.assertMatches("wal/prometheus-2.42-plain.txt", dump(PLAIN));
  }

  @Test
  void decodesASnappyWalPrometheusWrote() throws IOException {
    byte[] file = Files.readAllBytes(SNAPPY.resolve("00000000"));
    assertThat(file[0] & WalFormat.SNAPPY_FLAG)
        .as("the fixture has compressed records")
        .isNotZero();
    Golden.assertMatches("wal/prometheus-2.42-snappy.txt", dump(SNAPPY));
  }

  @Test
  void rewritingPrometheussRecordsReproducesItsSegment() throws IOException {
    assertRewriteReproduces(PLAIN, Compression.NONE);
  }

  /** Only without compression: Go's snappy and ours produce different (equally valid) encodings. */
  private void assertRewriteReproduces(Path wal, Compression c) throws IOException {
    List<byte[]> records = WalTesting.payloads(WalTesting.readAll(wal));
    try (Wal w = Wal.open(dir, WalFormat.DEFAULT_SEGMENT_SIZE, c)) {
      for (byte[] rec : records) {
        w.log(rec);
      }
    }
    assertThat(Files.readAllBytes(dir.resolve("00000000")))
        .isEqualTo(Files.readAllBytes(wal.resolve("00000000")));
  }

  /** One line per record, then one per series or sample; every sample's series was declared. */
  private static String dump(Path wal) throws IOException {
    StringBuilder out = new StringBuilder();
    List<RefSeries> series = new ArrayList<>();
    SampleBatch samples = new SampleBatch();
    Set<Long> declared = new HashSet<>();
    try (WalReader r = WalReader.open(wal, 0, Integer.MAX_VALUE)) {
      while (r.next()) {
        ByteBuffer rec = r.record();
        Records.Type type = Records.type(rec);
        out.append(r.segment()).append(':').append(r.offset()).append(' ').append(type);
        switch (type) {
          case SERIES -> {
            Records.decodeSeries(rec, series);
            out.append(' ').append(series.size()).append('\n');
            for (RefSeries s : series) {
              declared.add(s.ref());
              out.append("  ").append(s.ref()).append(' ').append(s.labels()).append('\n');
            }
          }
          case SAMPLES -> {
            Records.decodeSamples(rec, samples);
            out.append(' ').append(samples.size).append('\n');
            for (int i = 0; i < samples.size; i++) {
              assertThat(declared).contains(samples.refs[i]);
              out.append("  ")
                  .append(samples.refs[i])
                  .append(' ')
                  .append(samples.ts[i])
                  .append(' ')
                  .append(samples.vs[i])
                  .append('\n');
            }
          }
          default -> out.append(" ").append(rec.remaining()).append(" bytes\n");
        }
      }
    }
    return out.toString();
  }
}
