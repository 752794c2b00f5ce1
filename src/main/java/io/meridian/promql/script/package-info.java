/**
 * Prometheus's PromQL test scripts ({@code load}, {@code clear}, {@code eval}): reading them and
 * running them against any store that appends and queries, for the conformance corpus and for
 * {@code meridian promql test}.
 */
package io.meridian.promql.script;
