package io.meridian.util;

/**
 * Where code gets the time. Everything that reads the time takes a {@code Clock}, so tests and
 * deterministic simulations can drive it; only {@link SystemClock} reads the real one.
 *
 * <p>Implementations are thread-safe.
 */
public interface Clock {

  /** Wall-clock time in milliseconds since the Unix epoch, the unit of every timestamp here. */
  long millis();

  /**
   * A monotonic reading in nanoseconds for measuring durations; only differences between two
   * readings of the same clock mean anything.
   */
  long nanos();

  /** The real clock of this machine. */
  static Clock system() {
    return SystemClock.INSTANCE;
  }
}
