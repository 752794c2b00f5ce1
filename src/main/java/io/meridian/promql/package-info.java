/**
 * The PromQL engine: evaluates parsed expressions over the storage interfaces, never over the tsdb
 * directly.
 */
package io.meridian.promql;
