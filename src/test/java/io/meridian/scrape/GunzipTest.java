package io.meridian.scrape;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Both ways of inflating (libdeflate, the JDK's zlib) on the same bodies. */
class GunzipTest {
  private static Gunzip gunzip(boolean libdeflate) {
    if (libdeflate) {
      assumeThat(Libdeflate.system()).as("libdeflate on this system").isPresent();
      return new Gunzip(Libdeflate.system());
    }
    return new Gunzip(Optional.empty());
  }

  private static byte[] gzip(String text) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream z = new GZIPOutputStream(out)) {
      z.write(text.getBytes(StandardCharsets.UTF_8));
    }
    return out.toByteArray();
  }

  /** The body as a scrape has it: in a pooled array, maybe longer than the body. */
  private static String inflate(Gunzip g, byte[] body, long limit) throws IOException {
    byte[] in = BodyBuffers.SHARED.take(body.length + 7);
    System.arraycopy(body, 0, in, 0, body.length);
    Gunzip.Inflated out = g.inflate(in, body.length, limit);
    String s = new String(out.bytes(), 0, out.length(), StandardCharsets.UTF_8);
    BodyBuffers.SHARED.give(out.bytes());
    return s;
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void inflatesOneOrManyMembersOfAnySize(boolean libdeflate) throws IOException {
    Gunzip g = gunzip(libdeflate);
    StringBuilder big = new StringBuilder();
    for (int i = 0; i < 20_000; i++) {
      big.append("m{i=\"").append(i).append("\"} ").append(i * 0.37).append('\n');
    }
    for (String text : new String[] {"", "a 1\n", big.toString()}) {
      assertThat(inflate(g, gzip(text), 0)).isEqualTo(text);
    }
    byte[] first = gzip("a 1\n".repeat(50));
    byte[] second = gzip("b 2\n");
    byte[] both = Arrays.copyOf(first, first.length + second.length + 3);
    System.arraycopy(second, 0, both, first.length, second.length);
    // Bytes after the last member that are not a member are ignored.
    assertThat(inflate(g, both, 0)).isEqualTo("a 1\n".repeat(50) + "b 2\n");
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void aBodySizedWrongByItsLastTrailerIsGrownAndInflatedWhole(boolean libdeflate)
      throws IOException {
    Gunzip g = gunzip(libdeflate);
    // The output is sized by the last member's length field: 4 bytes here, for 12,004 in all.
    byte[] first = gzip("y 2\n".repeat(3000));
    byte[] last = gzip("z 3\n");
    byte[] both = Arrays.copyOf(first, first.length + last.length);
    System.arraycopy(last, 0, both, first.length, last.length);
    assertThat(inflate(g, both, 0)).isEqualTo("y 2\n".repeat(3000) + "z 3\n");
    // A length field that does not match its member is an error, whatever it made the size.
    byte[] lying = first.clone();
    lying[lying.length - 4] = 16;
    lying[lying.length - 3] = 0;
    assertThatThrownBy(() -> inflate(g, lying, 0)).hasMessageContaining("corrupt gzip trailer");
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void brokenBodiesFailWithAReason(boolean libdeflate) throws IOException {
    Gunzip g = gunzip(libdeflate);
    byte[] good = gzip("c 3\n".repeat(100));
    byte[] badCrc = good.clone();
    badCrc[badCrc.length - 8] ^= 1;
    assertThatThrownBy(() -> inflate(g, badCrc, 0)).hasMessageContaining("corrupt gzip trailer");
    assertThatThrownBy(() -> inflate(g, Arrays.copyOf(good, good.length / 2), 0))
        .hasMessageMatching(libdeflate ? ".*truncated.*" : ".*gzip body ends early.*");
    assertThatThrownBy(() -> inflate(g, "c 3\n".getBytes(StandardCharsets.UTF_8), 0))
        .hasMessageContaining("Not in GZIP format");
    byte[] garbled = good.clone();
    Arrays.fill(garbled, 10, 20, (byte) 0xff);
    assertThatThrownBy(() -> inflate(g, garbled, 0)).hasMessageContaining("invalid gzip body");
    assertThat(inflate(g, good, 0)).isEqualTo("c 3\n".repeat(100));
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void theLimitHoldsWhateverTheTrailerSays(boolean libdeflate) throws IOException {
    Gunzip g = gunzip(libdeflate);
    byte[] body = gzip("d 4\n".repeat(1000));
    assertThatThrownBy(() -> inflate(g, body, 100))
        .hasMessage("body size limit exceeded (limit: 100 bytes)");
    byte[] understated = body.clone();
    understated[understated.length - 4] = 50;
    understated[understated.length - 3] = 0;
    assertThatThrownBy(() -> inflate(g, understated, 100))
        .hasMessage("body size limit exceeded (limit: 100 bytes)");
    assertThat(inflate(g, body, 4000)).hasSize(4000);
  }
}
