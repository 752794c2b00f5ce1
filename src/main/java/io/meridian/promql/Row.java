package io.meridian.promql;

import io.meridian.model.Labels;

/**
 * One series of an instant vector over all the steps of an evaluation: a value per step and whether
 * it is present there. Labels never change over the steps, so grouping and matching work is done
 * once per row rather than once per step.
 */
final class Row {
  Labels labels;
  final double[] v;
  final boolean[] has;

  /** Timestamps of the samples a selector chose, per step; null once anything computed on them. */
  long[] ts;

  /**
   * Prometheus's delayed name removal: the name goes at the end unless something reads it first.
   */
  boolean dropName;

  Row(Labels labels, int steps) {
    this.labels = labels;
    this.v = new double[steps];
    this.has = new boolean[steps];
  }

  void set(int step, double value) {
    v[step] = value;
    has[step] = true;
  }

  /** Points present. */
  int points() {
    int n = 0;
    for (boolean b : has) {
      if (b) {
        n++;
      }
    }
    return n;
  }

  boolean empty() {
    for (boolean b : has) {
      if (b) {
        return false;
      }
    }
    return true;
  }

  /** The labels as the result shows them: without the name if it is to be dropped. */
  Labels outputLabels() {
    return dropName ? labels.withoutMetricName() : labels;
  }
}
