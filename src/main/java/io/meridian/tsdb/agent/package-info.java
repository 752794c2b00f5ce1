/**
 * The agent's WAL-only store, as Prometheus's agent mode keeps it: series refs and each series'
 * newest timestamp in memory, every committed batch in the WAL for remote write to read, nothing
 * queryable.
 */
package io.meridian.tsdb.agent;
