/**
 * The write-ahead log in Prometheus's segment and record format, its checkpoints and repair of torn
 * tails.
 */
package io.meridian.tsdb.wal;
