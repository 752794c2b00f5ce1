package io.meridian.remote;

import java.util.Arrays;

/**
 * Tracks which WAL records a queue has finished with, so the position it saves (and the WAL it
 * holds) moves only past records whose every sample was sent, rejected or dropped. Shards finish
 * samples out of order between them; a record is done when its count of outstanding samples is
 * zero, and the position is the end of the last record before the first one not done.
 *
 * <p>Records get sequence numbers in reading order; pending ones sit in a ring.
 */
final class SendWatermark {
  private int[] segments = new int[256];
  private long[] offsets = new long[256];
  private int[] remaining = new int[256];
  private long[] minTimes = new long[256];
  private int head;
  private int size;
  private long firstSeq; // sequence number of the ring's head
  private WalPosition done;

  SendWatermark(WalPosition start) {
    this.done = start;
  }

  /**
   * Registers a record ending at {@code (segment, endOffset)} whose {@code samples} samples are
   * about to be queued; returns its sequence number for {@link #finished}.
   */
  synchronized long add(int segment, long endOffset, int samples, long minTime) {
    long seq = firstSeq + size;
    if (samples == 0 && size == 0) {
      done = new WalPosition(segment, endOffset);
      firstSeq++;
      return seq;
    }
    if (size == segments.length) {
      grow();
    }
    int i = (head + size) % segments.length;
    segments[i] = segment;
    offsets[i] = endOffset;
    remaining[i] = samples;
    minTimes[i] = minTime;
    size++;
    return seq;
  }

  /** Marks {@code count} samples of record {@code seq} finished. */
  synchronized void finished(long seq, int count) {
    long k = seq - firstSeq;
    if (k < 0 || k >= size) {
      throw new IllegalStateException("record " + seq + " is not pending");
    }
    int i = (int) ((head + k) % segments.length);
    remaining[i] -= count;
    while (size > 0 && remaining[head] <= 0) {
      done = new WalPosition(segments[head], offsets[head]);
      head = (head + 1) % segments.length;
      size--;
      firstSeq++;
    }
  }

  /** Everything before this position is finished. */
  synchronized WalPosition position() {
    return done;
  }

  /** The sequence number the next record gets. */
  synchronized long nextSeq() {
    return firstSeq + size;
  }

  /** The sequence number of the first pending record in {@code segment} or later; else next. */
  synchronized long firstSeqFrom(int segment) {
    for (int k = 0; k < size; k++) {
      if (segments[(head + k) % segments.length] >= segment) {
        return firstSeq + k;
      }
    }
    return firstSeq + size;
  }

  /** The oldest sample timestamp of pending records, or {@code Long.MAX_VALUE} when none. */
  synchronized long oldestPending() {
    long min = Long.MAX_VALUE;
    for (int k = 0; k < size; k++) {
      min = Math.min(min, minTimes[(head + k) % segments.length]);
      if (k > 64) {
        break; // the oldest records come first; enough to see the age of the backlog
      }
    }
    return min;
  }

  synchronized int pendingRecords() {
    return size;
  }

  private void grow() {
    int n = segments.length * 2;
    segments = unroll(segments, n);
    offsets = unroll(offsets, n);
    remaining = unroll(remaining, n);
    minTimes = unroll(minTimes, n);
    head = 0;
  }

  private int[] unroll(int[] a, int n) {
    int[] out = Arrays.copyOf(a, n);
    System.arraycopy(a, head, out, 0, a.length - head);
    System.arraycopy(a, 0, out, a.length - head, head);
    return out;
  }

  private long[] unroll(long[] a, int n) {
    long[] out = Arrays.copyOf(a, n);
    System.arraycopy(a, head, out, 0, a.length - head);
    System.arraycopy(a, 0, out, a.length - head, head);
    return out;
  }
}
