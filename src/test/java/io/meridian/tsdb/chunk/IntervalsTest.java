package io.meridian.tsdb.chunk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meridian.testing.SeededRandom;
import io.meridian.testing.SeededRandomExtension;
import java.util.BitSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(SeededRandomExtension.class)
class IntervalsTest {
  @Test
  void overlappingAndAdjacentRangesMerge() {
    Intervals i = Intervals.NONE.add(10, 20).add(30, 40);
    assertThat(i.size()).isEqualTo(2);
    assertThat(i.add(21, 29).toString()).isEqualTo("[[10, 40]]"); // adjacent on both sides
    assertThat(i.add(0, 5).add(15, 35).toString()).isEqualTo("[[0, 5], [10, 40]]");
    assertThat(i.add(50, Long.MAX_VALUE).add(Long.MIN_VALUE, 0).toString())
        .isEqualTo(
            "[[" + Long.MIN_VALUE + ", 0], [10, 20], [30, 40], [50, " + Long.MAX_VALUE + "]]");
    assertThat(i.dropBefore(25).toString()).isEqualTo("[[30, 40]]");
    assertThat(i.dropBefore(41).isEmpty()).isTrue();
    assertThat(i.dropBefore(20)).isSameAs(i);
    assertThatThrownBy(() -> i.add(5, 4)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void queriesAgreeWithABitModel(SeededRandom random) {
    for (int round = 0; round < 200; round++) {
      Intervals iv = Intervals.NONE;
      BitSet model = new BitSet(200);
      for (int k = random.nextInt(6); k > 0; k--) {
        int lo = random.nextInt(190);
        int hi = lo + random.nextInt(10);
        iv = iv.add(lo, hi);
        model.set(lo, hi + 1);
      }
      for (int t = 0; t < 200; t++) {
        assertThat(iv.contains(t)).as("%s contains %d", iv, t).isEqualTo(model.get(t));
      }
      for (int k = 0; k < 50; k++) {
        int lo = random.nextInt(200);
        int hi = lo + random.nextInt(20);
        int clear = model.nextClearBit(lo);
        int set = model.nextSetBit(lo);
        assertThat(iv.covers(lo, hi)).as("%s covers [%d, %d]", iv, lo, hi).isEqualTo(clear > hi);
        assertThat(iv.overlaps(lo, hi))
            .as("%s overlaps [%d, %d]", iv, lo, hi)
            .isEqualTo(set >= 0 && set <= hi);
      }
      for (int i = 1; i < iv.size(); i++) {
        assertThat(iv.mint(i)).isGreaterThan(iv.maxt(i - 1) + 1); // merged: gaps only
      }
    }
  }
}
