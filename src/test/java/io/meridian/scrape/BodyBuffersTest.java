package io.meridian.scrape;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BodyBuffersTest {
  @Test
  void lendsAGivenArrayThatIsLargeEnoughAndAFreshOneOtherwise() {
    BodyBuffers pool = new BodyBuffers(2, 1 << 20);
    byte[] a = pool.take(1000);
    assertThat(a.length).isGreaterThanOrEqualTo(1000);
    pool.give(a);
    assertThat(pool.take(a.length + 1)).isNotSameAs(a).hasSizeGreaterThan(a.length);
    assertThat(pool.take(10)).isSameAs(a);
    assertThat(pool.take(10)).isNotSameAs(a);
  }

  @Test
  void keepsTheLargerArraysWhenFullAndNoneAboveTheLimit() {
    BodyBuffers pool = new BodyBuffers(2, 4096);
    byte[] small = new byte[100];
    byte[] mid = new byte[1000];
    byte[] big = new byte[2000];
    pool.give(small);
    pool.give(mid);
    pool.give(big);
    pool.give(new byte[5000]);
    assertThat(pool.take(1500)).isSameAs(big);
    assertThat(pool.take(1)).isSameAs(mid);
    assertThat(pool.take(1)).isNotSameAs(small);
  }

  @Test
  void inflatersComeBackReset() throws Exception {
    BodyBuffers pool = new BodyBuffers(1, 4096);
    java.util.zip.Inflater z = pool.inflater();
    z.setInput(new byte[] {1, 2, 3});
    pool.give(z);
    java.util.zip.Inflater again = pool.inflater();
    assertThat(again).isSameAs(z);
    assertThat(again.needsInput()).isTrue();
    pool.give(again);
    pool.give(new java.util.zip.Inflater(true)); // pool full: this one is ended, not kept
    assertThat(pool.inflater()).isSameAs(z);
  }
}
