package io.meridian.tsdb.agent;

import io.meridian.model.Labels;

/** A series the agent knows: its ref, labels and newest committed timestamp. */
final class AgentSeries {
  final long ref;
  final Labels labels;
  volatile long lastT = Long.MIN_VALUE;

  AgentSeries(long ref, Labels labels) {
    this.ref = ref;
    this.labels = labels;
  }
}
