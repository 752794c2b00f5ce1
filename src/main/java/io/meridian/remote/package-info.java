/**
 * Remote write out (WAL watcher, queues, shards) and in, remote read, and their protobuf/snappy
 * codec.
 */
package io.meridian.remote;
