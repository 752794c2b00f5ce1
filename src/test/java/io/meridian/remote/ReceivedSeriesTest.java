package io.meridian.remote;

import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.model.Labels;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ReceivedSeriesTest {
  private static ReceivedSeries.Key key(String... parts) {
    ReceivedSeries.Key k = new ReceivedSeries.Key(4);
    k.clear();
    for (String p : parts) {
      byte[] b = ("xx" + p).getBytes(StandardCharsets.UTF_8);
      k.add(b, 2, b.length);
    }
    return k;
  }

  @Test
  void keysAreTheLabelBytesWithTheirLengths() {
    assertThat(key("ab", "c")).isEqualTo(key("ab", "c")).hasSameHashCodeAs(key("ab", "c"));
    assertThat(key("ab", "c")).isNotEqualTo(key("a", "bc"));
    assertThat(key("a".repeat(300), "b")).isEqualTo(key("a".repeat(300), "b"));
  }

  @Test
  void findsWhatWasPutAndDropsWhatIdled() {
    ReceivedSeries s = new ReceivedSeries();
    ReceivedSeries.Key probe = key("__name__", "up");
    s.put(probe, new ReceivedSeries.Entry(7, Labels.of("__name__", "up"), 100));
    s.put(key("__name__", "old"), new ReceivedSeries.Entry(8, Labels.of("__name__", "old"), 100));
    probe.clear(); // the probe is reused: the map holds a copy
    assertThat(s.get(key("__name__", "up"), 110).ref).isEqualTo(7);
    s.maybeSweep(100 + ReceivedSeries.IDLE_MINUTES + 1);
    assertThat(s.get(key("__name__", "old"), 120)).isNull();
    assertThat(s.get(key("__name__", "up"), 120)).isNotNull();
    assertThat(s.size()).isEqualTo(1);
  }
}
