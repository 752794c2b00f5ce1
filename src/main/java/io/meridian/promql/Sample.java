package io.meridian.promql;

import io.meridian.model.Labels;

/** One element of an instant vector: a series' labels and its value at {@code t}. */
public record Sample(Labels labels, long t, double v) {}
