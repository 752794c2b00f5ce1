/**
 * The interfaces every part of Meridian meets at: appending samples, querying series by matchers,
 * sample and chunk iterators, and the merge of several stores. Implementations live in tsdb, remote
 * and query.
 */
package io.meridian.storage;
