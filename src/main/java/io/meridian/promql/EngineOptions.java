package io.meridian.promql;

import java.time.Duration;

/**
 * The engine's settings, as Prometheus's flags name them.
 *
 * @param lookbackDelta how far back an instant selector looks for a sample ({@code
 *     --query.lookback-delta}, 5m)
 * @param maxSamples most samples a query may hold in memory at once ({@code --query.max-samples})
 * @param timeout how long a query may run ({@code --query.timeout})
 * @param maxConcurrent queries evaluated at once; more wait ({@code --query.max-concurrency})
 * @param experimentalFunctions whether functions and aggregations Prometheus keeps behind {@code
 *     --enable-feature=promql-experimental-functions} are allowed
 * @param defaultSubqueryStep the step of subqueries written without one ({@code [5m:]}); Prometheus
 *     uses the global evaluation interval, 1m by default
 */
public record EngineOptions(
    Duration lookbackDelta,
    long maxSamples,
    Duration timeout,
    int maxConcurrent,
    boolean experimentalFunctions,
    Duration defaultSubqueryStep) {

  /** Prometheus's defaults (experimental functions on, as its test scripts run). */
  public static EngineOptions defaults() {
    return new EngineOptions(
        Duration.ofMinutes(5), 50_000_000, Duration.ofMinutes(2), 20, true, Duration.ofMinutes(1));
  }

  public EngineOptions withMaxSamples(long n) {
    return new EngineOptions(
        lookbackDelta, n, timeout, maxConcurrent, experimentalFunctions, defaultSubqueryStep);
  }

  public EngineOptions withLookbackDelta(Duration d) {
    return new EngineOptions(
        d, maxSamples, timeout, maxConcurrent, experimentalFunctions, defaultSubqueryStep);
  }

  public EngineOptions withTimeout(Duration d) {
    return new EngineOptions(
        lookbackDelta, maxSamples, d, maxConcurrent, experimentalFunctions, defaultSubqueryStep);
  }
}
