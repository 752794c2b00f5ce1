package io.meridian.tsdb.head;

import io.meridian.tsdb.wal.Records;
import java.io.IOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Applies replayed samples on several threads: each series belongs to one shard (by ref), so no two
 * threads touch one series and per-series order is the WAL's order. The reader hands over
 * fixed-size batches through bounded queues and reuses them, so memory stays flat however large the
 * WAL.
 */
final class ReplayShards implements AutoCloseable {
  private static final int BATCH = 4096;
  private static final int QUEUED = 4;

  private final Head head;
  private final Shard[] shards;
  private final AtomicReference<Throwable> failure = new AtomicReference<>();

  private final class Shard implements Runnable {
    final BlockingQueue<Records.SampleBatch> work = new ArrayBlockingQueue<>(QUEUED);
    final BlockingQueue<Records.SampleBatch> free = new ArrayBlockingQueue<>(QUEUED + 1);
    Records.SampleBatch filling;
    final Thread thread;
    long applied;
    long skipped;
    long unknown;

    Shard(int i) {
      for (int k = 0; k < QUEUED + 1; k++) {
        free.add(new Records.SampleBatch(BATCH));
      }
      filling = free.poll();
      thread = Thread.ofPlatform().name("wal-replay-" + i).daemon().unstarted(this);
    }

    @Override
    public void run() {
      try {
        while (true) {
          Records.SampleBatch b = work.take();
          if (b.size < 0) {
            return; // end of input
          }
          long minValid = head.replayMinValidTime();
          long n = 0;
          long chunks = 0;
          long mint = Long.MAX_VALUE;
          long maxt = Long.MIN_VALUE;
          for (int i = 0; i < b.size; i++) {
            MemSeries s = head.byRef(b.refs[i]);
            if (s == null) {
              unknown++;
              continue;
            }
            long t = b.ts[i];
            int r = head.replaySample(s, t, b.vs[i], minValid);
            if (r == Head.REPLAY_SKIPPED) {
              skipped++;
              continue;
            }
            n++;
            if (r == Head.REPLAY_APPENDED_NEW_CHUNK) {
              chunks++;
            }
            mint = Math.min(mint, t);
            maxt = Math.max(maxt, t);
          }
          applied += n;
          head.countReplayed(n, chunks, mint, maxt);
          b.clear();
          free.put(b);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (RuntimeException | Error e) {
        failure.compareAndSet(null, e);
        drain();
      }
    }

    /** After a failure keep taking work so the reader never blocks forever. */
    private void drain() {
      try {
        while (true) {
          Records.SampleBatch b = work.take();
          if (b.size < 0) {
            return;
          }
          b.clear();
          free.put(b);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    void add(long ref, long t, double v) throws InterruptedException {
      filling.add(ref, t, v);
      if (filling.size == BATCH) {
        work.put(filling);
        filling = free.take();
      }
    }

    void finish() throws InterruptedException {
      if (filling.size > 0) {
        work.put(filling);
      }
      Records.SampleBatch end = new Records.SampleBatch(1);
      end.size = -1;
      work.put(end);
    }
  }

  ReplayShards(Head head, int threads) {
    this.head = head;
    this.shards = new Shard[Math.max(1, threads)];
    for (int i = 0; i < shards.length; i++) {
      shards[i] = new Shard(i);
      shards[i].thread.start();
    }
  }

  /** Queues one sample for the shard that owns its series. */
  void add(long ref, long t, double v) throws IOException {
    try {
      shards[(int) Long.remainderUnsigned((ref * 0x9E3779B97F4A7C15L) >>> 16, shards.length)].add(
          ref, t, v);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted during WAL replay", e);
    }
  }

  /** Waits until every queued sample is applied; returns {applied, skipped, unknown}. */
  long[] finish() throws IOException {
    try {
      for (Shard s : shards) {
        s.finish();
      }
      for (Shard s : shards) {
        s.thread.join();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted during WAL replay", e);
    }
    Throwable t = failure.get();
    if (t instanceof RuntimeException r) {
      throw r;
    }
    if (t instanceof Error err) {
      throw err;
    }
    long[] out = new long[3];
    for (Shard s : shards) {
      out[0] += s.applied;
      out[1] += s.skipped;
      out[2] += s.unknown;
    }
    return out;
  }

  @Override
  public void close() {
    for (Shard s : shards) {
      s.thread.interrupt();
    }
  }
}
