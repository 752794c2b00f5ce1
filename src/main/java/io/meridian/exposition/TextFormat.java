package io.meridian.exposition;

/** The two text exposition formats Prometheus scrapes. */
public enum TextFormat {
  /** Prometheus text format 0.0.4: timestamps in ms, free comments, no {@code # EOF}. */
  PROMETHEUS_0_0_4,
  /** OpenMetrics 1.0: timestamps in seconds, {@code # UNIT}, exemplars, ends with {@code # EOF}. */
  OPENMETRICS_1_0
}
