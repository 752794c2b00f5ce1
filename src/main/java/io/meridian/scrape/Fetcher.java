package io.meridian.scrape;

import java.io.IOException;

/** Gets one target's metrics. Called by one loop thread at a time. */
public interface Fetcher {

  /**
   * Fetches the target once, within the scrape timeout.
   *
   * @throws IOException with a message that says what went wrong (status, timeout, size limit)
   */
  Fetched fetch() throws IOException;

  /**
   * Takes back a body {@link #fetch} returned, once it is stored and nothing refers to its bytes,
   * so the next fetch may reuse them.
   */
  default void release(Fetched body) {}

  /** Aborts a fetch in progress, from another thread; it then fails. Never fails itself. */
  void cancel();
}
