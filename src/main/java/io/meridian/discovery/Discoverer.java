package io.meridian.discovery;

import java.util.List;

/**
 * A source of target groups that change over time, such as the files of one {@code file_sd_configs}
 * entry. The groups are read with {@link #groups()}; the discoverer says that they changed through
 * the callback given to {@link #start}.
 *
 * <p>Thread-safe. The callback never runs while the discoverer holds a lock, so it may call {@link
 * #groups()} and take locks of its own that are also held around calls into the discoverer.
 */
public interface Discoverer extends AutoCloseable {

  /**
   * Reads the groups for the first time, before returning, then watches in the background and calls
   * {@code onChange} (from a thread of the discoverer's) after each change of {@link #groups()}.
   * Called once.
   */
  void start(Runnable onChange);

  /** The groups as last read, in a stable order. */
  List<TargetGroup> groups();

  /**
   * Stops watching. Does not wait for a callback in progress, which may still finish; never fails.
   */
  @Override
  void close();
}
