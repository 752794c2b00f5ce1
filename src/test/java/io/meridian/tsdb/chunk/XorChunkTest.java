package io.meridian.tsdb.chunk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meridian.model.StaleNaN;
import io.meridian.storage.CorruptDataException;
import io.meridian.storage.SampleIterator;
import io.meridian.testing.SeededRandom;
import io.meridian.testing.SeededRandomExtension;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(SeededRandomExtension.class)
class XorChunkTest {

  /** Worked out by hand from Prometheus's encoding (chunkenc/xor.go). */
  @Test
  void encodesLikePrometheus() {
    XorEncoder e = new XorEncoder();
    e.append(1000, 1.0);
    e.append(2000, 1.0);
    e.append(3000, 2.0);
    ByteBuffer b = e.toChunk().bytes();
    byte[] bytes = new byte[b.remaining()];
    b.get(bytes);
    assertThat(HexFormat.of().formatHex(bytes)).isEqualTo("0003d00f3ff0000000000000e8073097ffc0");
  }

  @Test
  void roundTripsAnySamples(SeededRandom random) {
    double[] special = {
      Double.NaN,
      StaleNaN.VALUE,
      Double.POSITIVE_INFINITY,
      Double.NEGATIVE_INFINITY,
      -0.0,
      0.0,
      Double.MIN_VALUE,
      Double.MAX_VALUE,
      Double.longBitsToDouble(0x7ff8000000000001L)
    };
    XorEncoder e = new XorEncoder(); // reset between rounds: its segments are reused
    for (int round = 0; round < 500; round++) {
      int n = random.nextInt(1, 300);
      long[] ts = new long[n];
      double[] vs = new double[n];
      long t = random.nextLong(-1L << 50, 1L << 50);
      double v = random.nextDouble() * 1000;
      for (int i = 0; i < n; i++) {
        t +=
            switch (random.nextInt(5)) {
              case 0 -> 15_000;
              case 1 -> 15_000 + random.nextInt(-50, 50);
              case 2 -> random.nextLong(1, 1L << 21);
              case 3 -> random.nextLong(1, 1L << 40);
              default -> 1;
            };
        v =
            switch (random.nextInt(6)) {
              case 0 -> v;
              case 1 -> v + random.nextInt(100);
              case 2 -> special[random.nextInt(special.length)];
              case 3 -> Double.longBitsToDouble(random.nextLong());
              case 4 -> random.nextDouble();
              default -> Math.floor(v * 2);
            };
        ts[i] = t;
        vs[i] = v;
      }
      e.reset();
      for (int i = 0; i < n; i++) {
        e.append(ts[i], vs[i]);
      }
      XorChunk c = e.toChunk();
      assertThat(c.numSamples()).isEqualTo(n);
      SampleIterator it = c.iterator(null);
      for (int i = 0; i < n; i++) {
        assertThat(it.next()).as("sample %d of %d", i, n).isTrue();
        assertThat(it.t()).as("t of sample %d", i).isEqualTo(ts[i]);
        assertThat(Double.doubleToRawLongBits(it.v()))
            .as("bits of sample %d (%s)", i, vs[i])
            .isEqualTo(Double.doubleToRawLongBits(vs[i]));
      }
      assertThat(it.next()).isFalse();
      assertThat(it.next()).isFalse();
    }
  }

  @Test
  void seeksForwardOnly() {
    XorEncoder e = new XorEncoder();
    for (int i = 1; i <= 10; i++) {
      e.append(i * 10L, i);
    }
    XorChunk c = e.toChunk();
    SampleIterator it = c.iterator(null);
    assertThat(it.seek(5)).isTrue();
    assertThat(it.t()).isEqualTo(10);
    assertThat(it.seek(10)).isTrue();
    assertThat(it.t()).isEqualTo(10);
    assertThat(it.seek(45)).isTrue();
    assertThat(it.t()).isEqualTo(50);
    assertThat(it.seek(20)).isTrue();
    assertThat(it.t()).as("seek does not move back").isEqualTo(50);
    assertThat(it.next()).isTrue();
    assertThat(it.t()).isEqualTo(60);
    assertThat(it.seek(101)).isFalse();
    assertThat(it.next()).isFalse();
    // A reused iterator starts over.
    SampleIterator again = c.iterator(it);
    assertThat(again).isSameAs(it);
    assertThat(again.next()).isTrue();
    assertThat(again.t()).isEqualTo(10);
  }

  @Test
  void truncatedChunkIsReportedAsCorrupt() {
    XorEncoder e = new XorEncoder();
    for (int i = 0; i < 50; i++) {
      e.append(i * 15_000L, Math.sqrt(i));
    }
    ByteBuffer full = e.toChunk().bytes();
    ByteBuffer cut = full.slice(0, full.remaining() / 2);
    SampleIterator it = new XorChunk(cut).iterator(null);
    assertThatThrownBy(
            () -> {
              while (it.next()) {
                it.v();
              }
            })
        .isInstanceOf(UncheckedIOException.class)
        .hasCauseInstanceOf(CorruptDataException.class)
        .hasMessageContaining("XOR chunk ends after");
  }
}
