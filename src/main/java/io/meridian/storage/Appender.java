package io.meridian.storage;

import io.meridian.model.Labels;
import io.meridian.model.StaleNaN;
import java.io.IOException;

/**
 * A batch of samples on its way into a store. Samples become visible to queriers only through
 * {@link #commit()}: a querier never sees a sample of a batch that is not yet committed or was
 * rolled back ({@link #rollback()} discards the batch without a trace). Each series of a batch
 * becomes visible at once; a querier opened while a commit is being applied may see some of the
 * batch's series before others.
 *
 * <p><b>Judgement at append time.</b> Each sample is accepted or rejected when it is appended,
 * against what the series holds (committed, plus what this batch has pending for it):
 *
 * <ul>
 *   <li>a timestamp older than the series' newest is {@link
 *       SampleRejectedException.Reason#OUT_OF_ORDER out of order}, unless the store has an
 *       out-of-order window and the sample lies within it;
 *   <li>the newest timestamp again with a different value (bit for bit, so NaNs of different
 *       payloads differ) is a {@link SampleRejectedException.Reason#DUPLICATE duplicate}; with the
 *       same value it is accepted and ignored, as scraping the same sample twice is harmless;
 *   <li>a timestamp the store can no longer take (older than its head, outside the window) is
 *       {@link SampleRejectedException.Reason#OUT_OF_BOUNDS out of bounds} or {@link
 *       SampleRejectedException.Reason#TOO_OLD too old}.
 * </ul>
 *
 * A rejected sample is counted by the store per reason and reported by the exception; the rest of
 * the batch is unaffected and still commits. Staleness markers ({@link StaleNaN}) are samples like
 * any other and are stored bit for bit.
 *
 * <p><b>Concurrency.</b> An appender is used by one thread at a time. When two appenders write the
 * same series concurrently, the one committing second may find some of its samples out of order
 * after all; those are dropped at commit and counted under {@code out_of_order} (Prometheus does
 * the same). One writer per series, which scraping and remote write ensure, never meets this.
 *
 * <p><b>Lifecycle.</b> After {@code commit} or {@code rollback} the appender is finished; any
 * further call throws {@link IllegalStateException}.
 */
public interface Appender {

  /**
   * Appends a float sample.
   *
   * @param ref a series reference returned by an earlier {@code append} on this store, or 0. A
   *     reference the store no longer knows (its series was dropped from the head) is not an error:
   *     the store falls back on {@code labels}
   * @param labels the series' labels; must not be empty. Used when {@code ref} is 0 or unknown, and
   *     otherwise may be ignored, so the caller must pass the labels that belong to {@code ref}
   * @param t timestamp in milliseconds since the epoch
   * @param v the value; NaN, ±Inf and the staleness marker are stored bit for bit
   * @return the series' reference, nonzero, valid for later appends to this store until the series
   *     leaves the head
   * @throws SampleRejectedException if the sample is rejected (see the class comment); the batch
   *     stays usable
   * @throws IllegalArgumentException if {@code labels} is empty
   */
  long append(long ref, Labels labels, long t, double v) throws SampleRejectedException;

  /**
   * The store's own copy of series {@code ref}'s labels, for callers that keep labels per series (a
   * scrape cache): holding the store's copy instead of their own halves what a series costs.
   *
   * @return null when the store does not know {@code ref} or keeps no copy to share
   */
  default Labels sharedLabels(long ref) {
    return null;
  }

  /** Appends by labels alone: {@code append(0, labels, t, v)}. */
  default long append(Labels labels, long t, double v) throws SampleRejectedException {
    return append(0, labels, t, v);
  }

  /**
   * Makes every accepted sample of the batch durable (as the store defines it, e.g. written to its
   * WAL) and visible, then finishes the appender.
   *
   * @throws IOException if the batch could not be made durable; then none of it is visible
   */
  void commit() throws IOException;

  /** Discards the batch and finishes the appender. Never fails. */
  void rollback();
}
