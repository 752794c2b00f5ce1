package io.meridian.cli;

import io.meridian.config.PrometheusConfig;
import io.meridian.config.RemoteReadConfig;
import io.meridian.remote.ReadClient;
import io.meridian.remote.RemoteQueryable;
import io.meridian.tsdb.Tsdb;
import io.meridian.util.Clock;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/** The server's {@code remote_read} sources, made from a config, and the clock they judge by. */
final class RemoteReads {
  private RemoteReads() {}

  /**
   * A source per {@code remote_read} entry, selecting by the config's external labels where the
   * entry filters them.
   *
   * @throws IOException when an entry's TLS files cannot be used, naming the entry
   */
  static List<RemoteQueryable> of(
      PrometheusConfig config, Tsdb db, Duration blockDuration, Clock clock) throws IOException {
    LongSupplier localStart = () -> localStartTime(db, blockDuration, clock);
    List<RemoteQueryable> out = new ArrayList<>();
    for (RemoteReadConfig c : config.remoteRead()) {
      try {
        out.add(
            RemoteQueryable.of(
                c, ReadClient.Limits.DEFAULT, config.global().externalLabels(), localStart));
      } catch (IOException e) {
        out.forEach(RemoteQueryable::close);
        throw new IOException("remote_read " + c.url() + ": " + e.getMessage(), e);
      }
    }
    return out;
  }

  /**
   * From when the local TSDB holds everything, as Prometheus judges it for {@code read_recent:
   * false}: the oldest block's start, or now when there is no block yet, plus two block durations
   * (everything may take a few minutes to spin up).
   */
  static long localStartTime(Tsdb db, Duration blockDuration, Clock clock) {
    var blocks = db.blocks();
    long start = blocks.isEmpty() ? clock.millis() : blocks.getFirst().meta().minTime();
    return start + 2 * blockDuration.toMillis();
  }
}
