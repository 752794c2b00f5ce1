package io.meridian.promql;

/** A string result at time {@code t} (milliseconds). */
public record StringValue(long t, String v) implements Value {}
