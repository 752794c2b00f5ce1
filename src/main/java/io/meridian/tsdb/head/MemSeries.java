package io.meridian.tsdb.head;

import io.meridian.model.Labels;
import io.meridian.storage.Chunk;
import io.meridian.tsdb.chunk.ChunkDiskMapper;
import io.meridian.tsdb.chunk.XorChunk;
import io.meridian.tsdb.chunk.XorEncoder;
import java.io.IOException;
import java.util.Arrays;

/**
 * One series in the head: its full chunks and the open chunk being appended to. All mutable state
 * is guarded by the series' own monitor; appenders and queriers lock one series at a time.
 */
final class MemSeries extends XorEncoder {
  private static final XorChunk[] NO_CHUNKS = new XorChunk[0];
  private static final long[] NO_TIMES = new long[0];

  final long ref;
  final Labels labels;

  /** Full chunks kept on the heap (a head without a disk mapper), else null entries. */
  private XorChunk[] full = NO_CHUNKS;

  /**
   * Per full chunk: its reference in the disk mapper (-1 when on the heap), first and last
   * timestamp, interleaved in one array to spare two array headers per series.
   */
  private long[] fullMeta = NO_TIMES;

  private int fullCount;
  private long openMin;

  /** The open chunk is cut at the first sample at or after this: its block range's end. */
  private long cutAt;

  /** Late samples the out-of-order window accepted; null until there is one. */
  OooSamples ooo;

  /**
   * The appender that last added a pending sample, and where in its batch its newest in-order one
   * is (-1: none); for in-batch ordering without a copy of the sample here.
   */
  Object pendingOwner;

  int pendingIndex = -1;

  /** Appenders holding pending samples of this series; while above 0 it is not removed. */
  short pendingAppenders;

  /** Set when truncation removed the series from the head; appenders then look it up again. */
  boolean removed;

  /** Whether the series record is in the journal (so samples referring to it can be replayed). */
  volatile boolean logged;

  MemSeries(long ref, Labels labels) {
    this.ref = ref;
    this.labels = labels;
  }

  /**
   * Appends a sample that is newer than {@link #lastT()}, cutting a new chunk at {@code
   * samplesPerChunk} samples or when {@code t} passes the chunk range boundary after the open
   * chunk's start. Caller holds the lock. Returns true when a chunk was cut.
   */
  boolean append(long t, double v, HeadOptions o, ChunkDiskMapper mapper) {
    boolean cut = false;
    int n = numSamples(); // the open chunk is this object's own encoder state
    if (n > 0 && (t >= cutAt || n >= o.samplesPerChunk())) {
      closeOpenChunk(mapper);
      cut = true;
    }
    if (numSamples() == 0) {
      openMin = t;
      cutAt = rangeEnd(t, o.chunkRange()); // once per chunk, not a division per sample
    }
    append(t, v);
    return cut;
  }

  /**
   * Time of the newest in-order committed sample, Long.MIN_VALUE when there is none. It is the open
   * chunk's last sample, also once that chunk is cut or truncated away.
   */
  long lastT() {
    return lastTimestamp();
  }

  /** Raw bits of the newest in-order committed sample's value. */
  long lastBits() {
    return lastValueBits();
  }

  private static long rangeEnd(long t, long range) {
    return Math.floorDiv(t, range) * range + range;
  }

  private void closeOpenChunk(ChunkDiskMapper mapper) {
    if (3 * fullCount == fullMeta.length) {
      int n = Math.max(2, fullCount * 2);
      fullMeta = Arrays.copyOf(fullMeta, 3 * n);
      if (mapper == null || full.length > 0) {
        full = Arrays.copyOf(full, n);
      }
    }
    XorChunk chunk = toChunk();
    long ref = -1;
    if (mapper != null) {
      try {
        ref = mapper.write(this.ref, openMin, lastT(), chunk);
      } catch (IOException e) {
        // The samples are in the WAL; keep this chunk on the heap rather than lose it.
        ref = -1;
      }
    }
    if (ref < 0 && full.length < fullMeta.length / 3) {
      full = Arrays.copyOf(full, fullMeta.length / 3);
    }
    if (ref < 0) {
      full[fullCount] = chunk;
    }
    fullMeta[3 * fullCount] = ref;
    fullMeta[3 * fullCount + 1] = openMin;
    fullMeta[3 * fullCount + 2] = lastT();
    fullCount++;
    reset();
  }

  /** Copies out the chunks overlapping {@code [mint, maxt]}; the open one as a frozen copy. */
  synchronized ChunkList chunks(long mint, long maxt, ChunkDiskMapper mapper) {
    ChunkList out = new ChunkList(fullCount + 1);
    for (int i = 0; i < fullCount; i++) {
      long ref = fullMeta[3 * i];
      long min = fullMeta[3 * i + 1];
      long max = fullMeta[3 * i + 2];
      if (max >= mint && min <= maxt) {
        Chunk c = ref >= 0 ? mapper.chunk(ref) : full[i];
        out.add(c, min, max);
      }
    }
    if (numSamples() > 0 && lastT() >= mint && openMin <= maxt) {
      out.add(toChunk(), openMin, lastT());
    }
    if (ooo != null && ooo.overlaps(mint, maxt)) {
      return withOutOfOrder(out);
    }
    return out;
  }

  /**
   * Merges the late samples into the in-order chunks by decoding and re-encoding them, so readers
   * get non-overlapping chunks in time order as from any other series. Only series that received
   * late samples pay for this.
   */
  private ChunkList withOutOfOrder(ChunkList inOrder) {
    int n = ooo.size();
    // Gather in-order samples.
    io.meridian.storage.SampleIterator it = null;
    long[] ts = new long[256];
    long[] bits = new long[256];
    int count = 0;
    for (int c = 0; c < inOrder.size; c++) {
      it = inOrder.chunks[c].iterator(it);
      while (it.next()) {
        if (count == ts.length) {
          ts = Arrays.copyOf(ts, count * 2);
          bits = Arrays.copyOf(bits, count * 2);
        }
        ts[count] = it.t();
        bits[count] = Double.doubleToRawLongBits(it.v());
        count++;
      }
    }
    ChunkList out = new ChunkList((count + n) / 120 + 2);
    XorEncoder enc = null;
    long cmin = 0;
    long cmax = 0;
    int i = 0;
    int j = 0;
    while (i < count || j < n) {
      long t;
      double v;
      if (j >= n || (i < count && ts[i] <= ooo.t(j))) {
        t = ts[i];
        v = Double.longBitsToDouble(bits[i]);
        if (j < n && ooo.t(j) == t) {
          j++; // the in-order sample wins a tie
        }
        i++;
      } else {
        t = ooo.t(j);
        v = ooo.v(j);
        j++;
      }
      if (enc == null) {
        enc = new XorEncoder();
        cmin = t;
      }
      enc.append(t, v);
      cmax = t;
      if (enc.numSamples() == 120) {
        out = grow(out);
        out.add(enc.toChunk(), cmin, cmax);
        enc = null;
      }
    }
    if (enc != null) {
      out = grow(out);
      out.add(enc.toChunk(), cmin, cmax);
    }
    return out;
  }

  private static ChunkList grow(ChunkList l) {
    if (l.size < l.chunks.length) {
      return l;
    }
    ChunkList g = new ChunkList(l.chunks.length * 2 + 1);
    for (int k = 0; k < l.size; k++) {
      g.add(l.chunks[k], l.min[k], l.max[k]);
    }
    return g;
  }

  /** Drops chunks that end before {@code mint}. Returns whether the series has no data left. */
  synchronized boolean truncateBefore(long mint) {
    int keep = 0;
    for (int i = 0; i < fullCount; i++) {
      if (fullMeta[3 * i + 2] >= mint) {
        if (full.length > 0) {
          full[keep] = full[i];
        }
        System.arraycopy(fullMeta, 3 * i, fullMeta, 3 * keep, 3);
        keep++;
      }
    }
    if (full.length > 0) {
      Arrays.fill(full, keep, fullCount, null);
    }
    fullCount = keep;
    if (numSamples() > 0 && lastT() < mint) {
      reset();
    }
    if (ooo != null && ooo.truncateBefore(mint)) {
      ooo = null;
    }
    if (fullCount == 0 && numSamples() == 0 && ooo == null && pendingAppenders == 0) {
      removed = true;
    }
    return removed;
  }

  /** Earliest sample time held, or Long.MAX_VALUE. */
  synchronized long minTime() {
    long m = fullCount > 0 ? fullMeta[1] : numSamples() > 0 ? openMin : Long.MAX_VALUE;
    return ooo != null && ooo.size() > 0 ? Math.min(m, ooo.t(0)) : m;
  }

  /** Adds a late sample (caller holds the lock); false if its timestamp is taken. */
  boolean appendOutOfOrder(long t, double v) {
    if (ooo == null) {
      ooo = new OooSamples();
    }
    return ooo.insert(t, v);
  }

  /** Whether a late sample at {@code t} is held. Caller holds the lock. */
  boolean hasOutOfOrder(long t) {
    return ooo != null && ooo.find(t) >= 0;
  }

  /** The bits of the late sample at {@code t}, to tell a repeat from a duplicate. */
  long outOfOrderBits(long t) {
    return Double.doubleToRawLongBits(ooo.v(ooo.find(t)));
  }

  /** Chunks copied out for a reader: parallel lists of chunk, first and last timestamp. */
  static final class ChunkList {
    final Chunk[] chunks;
    final long[] min;
    final long[] max;
    int size;

    ChunkList(int capacity) {
      chunks = new Chunk[capacity];
      min = new long[capacity];
      max = new long[capacity];
    }

    void add(Chunk c, long mn, long mx) {
      chunks[size] = c;
      min[size] = mn;
      max[size] = mx;
      size++;
    }
  }
}
