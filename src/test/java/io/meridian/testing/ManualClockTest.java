package io.meridian.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ManualClockTest {
  @Test
  void movesOnlyWhenTold() {
    ManualClock c = new ManualClock(1_000);
    assertThat(c.millis()).isEqualTo(1_000);
    c.advance(Duration.ofMillis(1_500));
    assertThat(c.millis()).isEqualTo(2_500);
    assertThat(c.nanos()).isEqualTo(1_500_000_000L);
    c.setMillis(0);
    assertThat(c.millis()).isZero();
    assertThat(c.nanos()).as("monotonic reading unaffected").isEqualTo(1_500_000_000L);
    assertThatThrownBy(() -> c.advance(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
