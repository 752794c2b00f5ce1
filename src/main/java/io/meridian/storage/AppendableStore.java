package io.meridian.storage;

/** A store that takes samples. */
public interface AppendableStore {

  /**
   * Starts a batch. The returned appender belongs to the calling thread until it commits or rolls
   * back; many appenders may be open at once, on many threads.
   */
  Appender appender();
}
