/**
 * Persistent blocks on disk: reading and writing them, compaction, retention and quarantine of
 * corrupt blocks.
 */
package io.meridian.tsdb.block;
