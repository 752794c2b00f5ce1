package io.meridian.tenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meridian.testing.ManualClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class IngestionLimiterTest {
  @Test
  void takesAllOrNothingAndRefillsAtItsRateUpToTheBurst() {
    ManualClock clock = new ManualClock(0);
    IngestionLimiter l = new IngestionLimiter(100, 250, clock);
    assertThat(l.tryTake(200)).isTrue();
    assertThat(l.tryTake(100)).isFalse(); // 50 left: none taken
    assertThat(l.tryTake(50)).isTrue();
    clock.advance(Duration.ofMillis(500));
    assertThat(l.tryTake(51)).isFalse();
    assertThat(l.tryTake(50)).isTrue();
    clock.advance(Duration.ofSeconds(60)); // refills to the burst, not beyond
    assertThat(l.tryTake(251)).isFalse();
    assertThat(l.tryTake(250)).isTrue();
    assertThatThrownBy(() -> new IngestionLimiter(0, 1, clock))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
