package io.meridian.util;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class Hash128Test {
  private static String hashOf(byte[] b, int off, int len) {
    Hash128 h = new Hash128();
    h.hash(b, off, len);
    return Long.toHexString(h.lo()) + ":" + Long.toHexString(h.hi());
  }

  private static String hashOf(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    return hashOf(b, 0, b.length);
  }

  /**
   * Every length from 0 to 40 at three offsets, folded into one value: the one the first version
   * gave, which read a block's last bytes one at a time (now one load and a shift when it can).
   */
  @Test
  void tailsHashAsByteByByte() {
    byte[] b = new byte[64];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) (i * 37 + 11);
    }
    Hash128 h = new Hash128();
    long fold = 0;
    for (int off = 0; off < 3; off++) {
      for (int len = 0; len <= 40; len++) {
        h.hash(b, off, len);
        fold = fold * 31 + h.lo();
        fold = fold * 31 + h.hi();
      }
    }
    assertThat(Long.toHexString(fold)).isEqualTo("5b285b9bd64e8a5e");
  }

  @Test
  void dependsOnTheRangeOnlyNotWhereItLies() {
    byte[] b =
        "xxnode_cpu_seconds_total{cpu=\"0\",mode=\"user\"}yy".getBytes(StandardCharsets.UTF_8);
    assertThat(hashOf(b, 2, b.length - 4))
        .isEqualTo(hashOf("node_cpu_seconds_total{cpu=\"0\",mode=\"user\"}"));
  }

  @Test
  void seriesTextsThatDifferByOneByteOrByLengthHashApart() {
    // Every length from 0 to 64 (so every tail size), each byte position flipped, and prefixes:
    // no two of these ~2,200 texts may share a hash, nor any half of one.
    Set<String> seen = new HashSet<>();
    Set<Long> halves = new HashSet<>();
    StringBuilder base = new StringBuilder();
    for (int len = 0; len <= 64; len++) {
      String s = base.toString();
      assertThat(seen.add(hashOf(s))).as("prefix of %d bytes", len).isTrue();
      for (int i = 0; i < len; i++) {
        char[] c = s.toCharArray();
        c[i] = (char) (c[i] ^ 1);
        String flipped = new String(c);
        assertThat(seen.add(hashOf(flipped))).as("%s", flipped).isTrue();
        byte[] fb = flipped.getBytes(StandardCharsets.UTF_8);
        Hash128 h = new Hash128();
        h.hash(fb, 0, fb.length);
        assertThat(halves.add(h.lo())).isTrue();
      }
      base.append((char) ('a' + len % 26));
    }
    assertThat(hashOf("")).isEqualTo("0:0");
  }

  @Test
  void manySimilarSeriesHaveDistinctHashes() {
    Set<String> seen = new HashSet<>();
    for (int pod = 0; pod < 20_000; pod++) {
      for (String metric : new String[] {"container_cpu_usage_seconds_total", "up"}) {
        String s = metric + "{namespace=\"ns" + pod % 13 + "\",pod=\"web-" + pod + "\"}";
        assertThat(seen.add(hashOf(s))).as(s).isTrue();
      }
    }
  }
}
