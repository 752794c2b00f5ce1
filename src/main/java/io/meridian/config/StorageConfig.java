package io.meridian.config;

import java.time.Duration;

/**
 * The {@code storage} section.
 *
 * @param outOfOrderTimeWindow {@code storage.tsdb.out_of_order_time_window}; zero takes no
 *     out-of-order samples
 * @param maxExemplars {@code storage.exemplars.max_exemplars}
 */
public record StorageConfig(Duration outOfOrderTimeWindow, long maxExemplars) {
  public static final StorageConfig DEFAULT = new StorageConfig(Duration.ZERO, 100_000);
}
