package io.meridian.promql;

/** A scalar result at time {@code t} (milliseconds). */
public record Scalar(long t, double v) implements Value {}
