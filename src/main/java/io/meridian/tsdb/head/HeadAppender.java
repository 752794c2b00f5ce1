package io.meridian.tsdb.head;

import io.meridian.model.Labels;
import io.meridian.storage.Appender;
import io.meridian.storage.SampleRejectedException;
import io.meridian.storage.SampleRejectedException.Reason;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A batch into the head. Samples are judged at append time against the series' committed newest and
 * this batch's pending newest, held in the series itself so the check allocates nothing. On commit
 * the batch goes to the journal first (with the records of series not yet in it), then into the
 * series' chunks.
 */
final class HeadAppender implements Appender {
  private final Head head;
  private final long minValidTime;
  private final Buffers buffers;
  private final PendingSamples samples;
  private final PendingSeries unlogged;
  private final List<MemSeries> touched;
  private final List<MemSeries> fresh;

  /** How many of {@link #touched}, from the first, apply() already released. */
  private int released;

  private boolean done;

  /** What an appender fills; the head pools them so steady appending allocates nothing. */
  static final class Buffers {
    final PendingSamples samples = new PendingSamples();
    final PendingSeries unlogged = new PendingSeries();
    final List<MemSeries> touched = new ArrayList<>();
    final List<MemSeries> fresh = new ArrayList<>();
  }

  /** Late samples at or after this are taken by the out-of-order window; MAX_VALUE: no window. */
  private final long oooMinValidTime;

  HeadAppender(Head head, Buffers buffers) {
    this.head = head;
    this.minValidTime = head.appendableMinValidTime();
    this.oooMinValidTime = head.outOfOrderMinValidTime();
    this.buffers = buffers;
    this.samples = buffers.samples;
    this.unlogged = buffers.unlogged;
    this.touched = buffers.touched;
    this.fresh = buffers.fresh;
  }

  @Override
  public long append(long ref, Labels labels, long t, double v) throws SampleRejectedException {
    check();
    if (t < minValidTime && t < oooMinValidTime) {
      throw reject(oooMinValidTime == Long.MAX_VALUE ? Reason.OUT_OF_BOUNDS : Reason.TOO_OLD);
    }
    long bits = Double.doubleToRawLongBits(v);
    MemSeries s = ref == 0 ? null : head.byRef(ref);
    if (s == null) {
      s = created(labels);
    }
    while (true) {
      synchronized (s) {
        if (!s.removed) {
          long newestT = s.lastT();
          long newestBits = s.lastBits();
          if (s.pendingOwner == this && s.pendingIndex >= 0) {
            long pendingT = samples.t(s.pendingIndex);
            if (pendingT > newestT) {
              newestT = pendingT;
              newestBits = Double.doubleToRawLongBits(samples.v(s.pendingIndex));
            }
          }
          if (t < newestT || t < minValidTime) {
            if (t < oooMinValidTime) {
              throw reject(
                  oooMinValidTime == Long.MAX_VALUE ? Reason.OUT_OF_ORDER : Reason.TOO_OLD);
            }
            if (s.hasOutOfOrder(t)) {
              if (s.outOfOrderBits(t) != bits) {
                throw reject(Reason.DUPLICATE);
              }
              return s.ref;
            }
            touch(s);
            samples.add(s, t, v); // a late sample: it does not move the series' newest
            return s.ref;
          }
          if (t == newestT) {
            if (bits != newestBits) {
              throw reject(Reason.DUPLICATE);
            }
            return s.ref; // the same sample again: nothing to do
          }
          touch(s);
          s.pendingIndex = samples.size(); // where samples.add below puts it
          break;
        }
      }
      s = created(labels); // truncation removed it just now: take the new one
    }
    samples.add(s, t, v);
    return s.ref;
  }

  /** Marks the series as having samples in this batch. Caller holds its lock. */
  private void touch(MemSeries s) {
    if (s.pendingOwner != this) {
      s.pendingOwner = this;
      s.pendingIndex = -1;
      s.pendingAppenders++;
      touched.add(s);
      if (!s.logged) {
        fresh.add(s); // its record goes to the journal with the batch
      }
    }
  }

  @Override
  public Labels sharedLabels(long ref) {
    MemSeries s = head.byRef(ref);
    return s == null ? null : s.labels;
  }

  private MemSeries created(Labels labels) throws SampleRejectedException {
    MemSeries s = head.getOrCreate(labels);
    if (s == null) {
      throw reject(Reason.SERIES_LIMIT);
    }
    return s;
  }

  private SampleRejectedException reject(Reason r) {
    head.countRejected(r);
    return SampleRejectedException.of(r);
  }

  @Override
  public void commit() throws IOException {
    check();
    done = true;
    try {
      collectUnlogged();
      head.journal().log(unlogged, samples);
      markLogged();
      apply();
    } finally {
      release();
    }
  }

  private void apply() {
    long mint = Long.MAX_VALUE;
    long maxt = Long.MIN_VALUE;
    long chunks = 0;
    long applied = 0;
    // A scrape's batch has one sample per series, in the order the series were touched: then each
    // series is released under the lock taken to apply its sample, not locked once more after.
    boolean oneEach = samples.size() == touched.size();
    for (int i = 0; i < samples.size(); i++) {
      MemSeries s = samples.series(i);
      long t = samples.t(i);
      synchronized (s) {
        if (oneEach) {
          unpend(s);
          released++;
        }
        if (t <= s.lastT() || t < minValidTime) {
          if (oooMinValidTime == Long.MAX_VALUE || t < oooMinValidTime) {
            // Another appender committed newer samples to this series in the meantime.
            head.countRejected(Reason.OUT_OF_ORDER);
            continue;
          }
          if (!s.appendOutOfOrder(t, samples.v(i))) {
            head.countRejected(Reason.DUPLICATE);
            continue;
          }
          head.countOutOfOrder();
        } else if (s.append(t, samples.v(i), head.options(), head.mapper())) {
          chunks++;
        }
      }
      applied++;
      mint = Math.min(mint, t);
      maxt = Math.max(maxt, t);
    }
    if (applied > 0) {
      head.updateTimes(mint, maxt);
    }
    head.countAppended(applied, chunks);
  }

  @Override
  public void rollback() {
    check();
    done = true;
    try {
      // The series exist in memory whatever happens to the batch; the journal must know them,
      // or a later batch's samples for them could not be replayed.
      collectUnlogged();
      if (unlogged.size() > 0) {
        samples.clear();
        head.journal().log(unlogged, samples);
        markLogged();
      }
    } catch (IOException e) {
      // Nothing of the batch is kept, so nothing is lost; the next commit logs the series.
    } finally {
      release();
    }
  }

  private void collectUnlogged() {
    for (MemSeries s : fresh) {
      if (!s.logged) { // another batch may have logged it since
        unlogged.add(s.ref, s.labels);
      }
    }
  }

  private void markLogged() {
    for (MemSeries s : fresh) {
      // A volatile write is a full fence: only the few new series need one.
      if (!s.logged) {
        s.logged = true;
      }
    }
  }

  private void release() {
    for (int i = released; i < touched.size(); i++) {
      MemSeries s = touched.get(i);
      synchronized (s) {
        unpend(s);
      }
    }
    touched.clear();
    fresh.clear();
    samples.clear();
    unlogged.clear();
    head.returnBuffers(buffers);
  }

  /** The batch no longer holds the series. Caller holds its lock. */
  private void unpend(MemSeries s) {
    s.pendingAppenders--;
    if (s.pendingOwner == this) {
      s.pendingOwner = null;
    }
  }

  private void check() {
    if (done) {
      throw new IllegalStateException("appender already committed or rolled back");
    }
  }
}
