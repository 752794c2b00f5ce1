package io.meridian.remote;

import io.meridian.model.Labels;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One of a remote's parallel senders: a bounded queue of samples (a series always goes to the same
 * shard, so its samples arrive in order) and the loop that takes batches of up to {@code
 * max_samples_per_send}, or what is there after {@code batch_send_deadline}, and sends them,
 * retrying with exponential backoff while the remote says to.
 */
final class Shard implements Runnable {
  private final QueueManager queue;
  private final int capacity;
  private final int maxPerSend;
  private final long deadlineNanos;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition notEmpty = lock.newCondition();
  private final Condition notFull = lock.newCondition();
  private final Condition stopSignal = lock.newCondition();
  private final Labels[] labels;
  private final long[] ts;
  private final double[] vs;
  private final long[] seqs;
  private int head;
  private int size;
  private boolean stopping;
  private long abandonAtNanos = Long.MAX_VALUE;

  // the batch being sent (the sender thread's own)
  private final Labels[] batchLabels;
  private final long[] batchTs;
  private final double[] batchVs;
  private final long[] batchSeqs;
  private final WriteRequestEncoder encoder;
  private volatile int inFlight;

  Shard(QueueManager queue, int capacity, int maxPerSend, long deadlineNanos, boolean v2) {
    this.queue = queue;
    this.capacity = Math.max(capacity, maxPerSend);
    this.maxPerSend = maxPerSend;
    this.deadlineNanos = deadlineNanos;
    labels = new Labels[this.capacity];
    ts = new long[this.capacity];
    vs = new double[this.capacity];
    seqs = new long[this.capacity];
    batchLabels = new Labels[maxPerSend];
    batchTs = new long[maxPerSend];
    batchVs = new double[maxPerSend];
    batchSeqs = new long[maxPerSend];
    encoder = new WriteRequestEncoder(v2);
  }

  /**
   * Queues a sample, waiting while the queue is full; a sample the backlog budget dropped meanwhile
   * is counted and not queued.
   */
  void offer(Labels l, long t, double v, long seq) throws InterruptedException {
    lock.lock();
    try {
      while (true) {
        if (seq < queue.dropBelowSeq()) {
          queue.dropped(seq, 1);
          return;
        }
        if (size < capacity) {
          break;
        }
        notFull.await(100, TimeUnit.MILLISECONDS);
      }
      int i = (head + size) % capacity;
      labels[i] = l;
      ts[i] = t;
      vs[i] = v;
      seqs[i] = seq;
      size++;
      if (size >= maxPerSend) {
        notEmpty.signal();
      }
    } finally {
      lock.unlock();
    }
  }

  /** Samples queued or being sent. */
  int pending() {
    lock.lock();
    try {
      return size + inFlight;
    } finally {
      lock.unlock();
    }
  }

  /** Drops queued samples the backlog budget gave up on; wakes a sender waiting to retry. */
  void dropBelow(long seq) {
    lock.lock();
    try {
      int kept = 0;
      for (int k = 0; k < size; k++) {
        int i = (head + k) % capacity;
        if (seqs[i] < seq) {
          queue.dropped(seqs[i], 1);
        } else {
          int j = (head + kept) % capacity;
          labels[j] = labels[i];
          ts[j] = ts[i];
          vs[j] = vs[i];
          seqs[j] = seqs[i];
          kept++;
        }
      }
      for (int k = kept; k < size; k++) {
        labels[(head + k) % capacity] = null;
      }
      size = kept;
      notFull.signalAll();
      stopSignal.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Asks the loop to send what is queued and end; a batch the remote still refuses at {@code
   * abandonAtNanos} is left unsent (its position was not saved, so the next start sends it).
   */
  void stop(long abandonAtNanos) {
    lock.lock();
    try {
      stopping = true;
      this.abandonAtNanos = abandonAtNanos;
      notEmpty.signalAll();
      stopSignal.signalAll();
      notFull.signalAll();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void run() {
    try {
      while (true) {
        int n = take();
        if (n < 0) {
          return;
        }
        if (n > 0 && !send(n)) {
          return;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Waits for a batch and moves it out of the queue; -1 when stopped and empty. */
  private int take() throws InterruptedException {
    lock.lock();
    try {
      long until = queue.nanos() + deadlineNanos;
      while (size < maxPerSend && !stopping) {
        long left = until - queue.nanos();
        if (left <= 0) {
          break;
        }
        notEmpty.awaitNanos(left);
      }
      if (size == 0) {
        return stopping ? -1 : 0;
      }
      int n = Math.min(size, maxPerSend);
      for (int k = 0; k < n; k++) {
        int i = (head + k) % capacity;
        batchLabels[k] = labels[i];
        batchTs[k] = ts[i];
        batchVs[k] = vs[i];
        batchSeqs[k] = seqs[i];
        labels[i] = null;
      }
      head = (head + n) % capacity;
      size -= n;
      inFlight = n;
      notFull.signalAll();
      return n;
    } finally {
      lock.unlock();
    }
  }

  /** Sends a batch until it is sent, rejected or dropped; false if abandoned at stop. */
  private boolean send(int n) throws InterruptedException {
    byte[] body = null;
    long maxT = Long.MIN_VALUE;
    long backoff = queue.minBackoffMillis();
    while (true) {
      int kept = dropBelowLine(n);
      if (kept == 0) {
        inFlight = 0;
        return true;
      }
      if (body == null || kept != n) {
        n = kept;
        inFlight = n;
        encoder.encode(batchLabels, batchTs, batchVs, n);
        body = SnappyBlock.compress(encoder.array(), encoder.length());
        maxT = Long.MIN_VALUE;
        for (int k = 0; k < n; k++) {
          maxT = Math.max(maxT, batchTs[k]);
        }
      }
      long start = queue.nanos();
      WriteClient.Result r = queue.client().send(body, body.length);
      queue.sendTook(queue.nanos() - start);
      switch (r.kind()) {
        case SENT -> {
          queue.sent(n, body.length, maxT);
          finish(n);
          return true;
        }
        case REJECTED -> {
          queue.rejected(n, r);
          finish(n);
          return true;
        }
        case RETRY -> {
          queue.retrying(n, r);
          long wait = r.retryAfterMillis() >= 0 ? r.retryAfterMillis() : backoff;
          backoff = Math.min(backoff * 2, queue.maxBackoffMillis());
          if (!awaitRetry(wait)) {
            return !stopping;
          }
        }
      }
    }
  }

  /**
   * Waits before a retry, ending early when the backlog budget drops part of the batch; false when
   * the batch is abandoned at stop.
   */
  private boolean awaitRetry(long millis) throws InterruptedException {
    lock.lock();
    try {
      long until = queue.nanos() + TimeUnit.MILLISECONDS.toNanos(millis);
      while (true) {
        if (batchSeqs[0] < queue.dropBelowSeq()) {
          return true; // the next attempt drops what fell below the line
        }
        if (stopping && queue.nanos() >= abandonAtNanos) {
          inFlight = 0;
          return false;
        }
        long left = until - queue.nanos();
        if (stopping) {
          left = Math.min(left, abandonAtNanos - queue.nanos());
        }
        if (left <= 0) {
          return true;
        }
        stopSignal.awaitNanos(left);
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Removes from the batch the samples the backlog budget gave up on (counted as dropped); returns
   * how many are left, in order.
   */
  private int dropBelowLine(int n) {
    long line = queue.dropBelowSeq();
    if (batchSeqs[0] >= line) {
      return n; // sequence numbers rise through a batch
    }
    int kept = 0;
    for (int k = 0; k < n; k++) {
      if (batchSeqs[k] < line) {
        queue.dropped(batchSeqs[k], 1);
      } else {
        batchLabels[kept] = batchLabels[k];
        batchTs[kept] = batchTs[k];
        batchVs[kept] = batchVs[k];
        batchSeqs[kept] = batchSeqs[k];
        kept++;
      }
    }
    for (int k = kept; k < n; k++) {
      batchLabels[k] = null;
    }
    return kept;
  }

  /** Tells the watermark the batch's records are done, a run of equal sequence numbers at once. */
  private void finish(int n) {
    int k = 0;
    while (k < n) {
      long seq = batchSeqs[k];
      int run = 1;
      while (k + run < n && batchSeqs[k + run] == seq) {
        run++;
      }
      queue.finished(seq, run);
      k += run;
    }
    for (int i = 0; i < n; i++) {
      batchLabels[i] = null;
    }
    inFlight = 0;
  }
}
