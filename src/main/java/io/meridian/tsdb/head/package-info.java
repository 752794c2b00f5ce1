/**
 * The in-memory head block: series keyed by labels, open chunks, appenders and their commit into
 * the WAL.
 */
package io.meridian.tsdb.head;
