package io.meridian.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HeapKeeperTest {
  private static final long MIB = 1L << 20;

  @Test
  void collectsWhenTheOldGenerationGrewAQuarterPastTheLastFullCollection() {
    assertThat(HeapKeeper.shouldCollect(120 * MIB, 100 * MIB)).isFalse();
    assertThat(HeapKeeper.shouldCollect(125 * MIB + 1, 100 * MIB)).isTrue();
  }

  @Test
  void smallHeapsGrowByAtLeastSixteenMegabytesFirst() {
    assertThat(HeapKeeper.shouldCollect(64 * MIB, 0)).isFalse();
    assertThat(HeapKeeper.shouldCollect(64 * MIB + 1, 0)).isTrue();
    assertThat(HeapKeeper.shouldCollect(60 * MIB, 20 * MIB)).isFalse();
  }
}
