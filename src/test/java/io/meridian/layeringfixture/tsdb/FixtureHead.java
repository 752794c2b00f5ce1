package io.meridian.layeringfixture.tsdb;

/** The lower layer the fixture's model class wrongly reaches down to. */
public final class FixtureHead {
  private FixtureHead() {}

  public static int series() {
    return 1;
  }
}
