package io.meridian.util;

import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.testing.SeededRandom;
import io.meridian.testing.SeededRandomExtension;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(SeededRandomExtension.class)
class Utf8OrderTest {

  @Test
  void agreesWithComparingUtf8Bytes(SeededRandom random) {
    for (int i = 0; i < 50_000; i++) {
      String a = random.nextUnicode(0, 4);
      String b = random.nextUnicode(0, 4);
      int expected =
          Arrays.compareUnsigned(
              a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
      assertThat(Integer.signum(Utf8Order.compare(a, b)))
          .as("%s vs %s", a, b)
          .isEqualTo(Integer.signum(expected));
    }
  }

  @Test
  void differsFromUtf16WhereItMust() {
    String emoji = "\uD83D\uDE00"; // U+1F600
    String privateUse = "\uE000";
    assertThat(emoji.compareTo(privateUse)).isNegative();
    assertThat(Utf8Order.compare(emoji, privateUse)).isPositive();
  }
}
