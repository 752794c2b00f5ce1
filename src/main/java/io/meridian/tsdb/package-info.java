/**
 * The time-series database facade: opens a data directory and ties head, WAL, blocks, compaction
 * and retention together behind the storage interfaces. Takes its own options record, never the
 * YAML config.
 */
package io.meridian.tsdb;
