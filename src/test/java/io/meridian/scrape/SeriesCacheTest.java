package io.meridian.scrape;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SeriesCacheTest {
  private static byte[] bytes(String s) {
    return ("xx" + s + "yy").getBytes(StandardCharsets.UTF_8);
  }

  private static String get(SeriesCache<String> c, String key) {
    byte[] b = bytes(key);
    return c.get(b, 2, b.length - 4);
  }

  private static void put(SeriesCache<String> c, String key) {
    byte[] b = bytes(key);
    c.put(b, 2, b.length - 4, "v:" + key);
  }

  @Test
  void findsKeysInTheOrderTheyCameAndInAnyOther() {
    SeriesCache<String> c = new SeriesCache<>();
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      keys.add("m{i=\"" + i + "\"}");
    }
    c.rewind();
    for (String k : keys) {
      assertThat(get(c, k)).isNull();
      put(c, k);
    }
    assertThat(c.size()).isEqualTo(1000);
    c.rewind();
    for (String k : keys) {
      assertThat(get(c, k)).isEqualTo("v:" + k);
    }
    // Out of order, and keys that differ only in length or by a prefix.
    for (int i = 999; i >= 0; i -= 7) {
      assertThat(get(c, keys.get(i))).isEqualTo("v:" + keys.get(i));
    }
    assertThat(get(c, "m{i=\"1\"")).isNull();
    assertThat(get(c, "m{i=\"1\"} ")).isNull();
    assertThat(get(c, "")).isNull();
  }

  @Test
  void removalKeepsTheOthersAndTheirOrder() {
    SeriesCache<String> c = new SeriesCache<>();
    for (int i = 0; i < 100; i++) {
      put(c, "k" + i);
    }
    c.removeIf(v -> Integer.parseInt(v.substring(3)) % 3 == 0);
    assertThat(c.size()).isEqualTo(66);
    for (int i = 0; i < 100; i++) {
      assertThat(get(c, "k" + i)).isEqualTo(i % 3 == 0 ? null : "v:k" + i);
    }
    put(c, "k3");
    assertThat(get(c, "k3")).isEqualTo("v:k3");
    c.removeIf(v -> true);
    assertThat(c.size()).isZero();
    assertThat(get(c, "k1")).isNull();
  }
}
