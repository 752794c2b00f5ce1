package io.meridian.tsdb.head;

import io.meridian.tsdb.wal.Records;
import java.io.IOException;
import java.util.List;

/**
 * Where the head makes a commit durable before applying it: the WAL, or nothing for a head that
 * lives in memory only. Called with the commit's new series first and then its samples, once per
 * commit, possibly from many threads at once.
 */
public interface Journal {

  /** A journal that keeps nothing. */
  Journal NONE = (series, samples) -> {};

  /**
   * Logs a commit.
   *
   * @param series the series created by this commit's appender (ref and labels), to log before any
   *     sample refers to them
   * @param samples the accepted samples
   * @throws IOException if the commit cannot be made durable; the head then applies nothing
   */
  void log(PendingSeries series, PendingSamples samples) throws IOException;

  /**
   * Logs deleted ranges, before the head honours them.
   *
   * @throws IOException if they cannot be made durable; the head then deletes nothing
   */
  default void logTombstones(List<Records.Tombstone> tombstones) throws IOException {}
}
