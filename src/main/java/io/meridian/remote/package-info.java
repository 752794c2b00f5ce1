/**
 * Remote write out (WAL watcher, queues, shards) and in, remote read served and read from ({@code
 * remote_read}: the client and the fanout over local and remote stores), and their protobuf/snappy
 * codec.
 */
package io.meridian.remote;
