package io.meridian.layeringfixture.model;

import io.meridian.layeringfixture.tsdb.FixtureHead;

/** Deliberately wrong: a model class importing the tsdb. LayeringTest expects this caught. */
public final class FixtureSample {
  private FixtureSample() {}

  public static int size() {
    return FixtureHead.series();
  }
}
