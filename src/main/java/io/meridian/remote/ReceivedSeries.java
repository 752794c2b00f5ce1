package io.meridian.remote;

import io.meridian.model.Labels;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Iterator;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The series a receiver's store got by remote write, by the bytes of their labels as they came on
 * the wire: a request for a known series then costs a hash of those bytes and one map lookup,
 * instead of a {@code String} per label, a sorted and validated label set and the store's own
 * lookup by labels. The same idea as the scrape cache, shared by every connection writing into one
 * store.
 *
 * <p>Entries of series not written for {@link #IDLE_MINUTES} are dropped by a sweep at most every
 * few minutes, so churned series do not pile up; a store reference that went stale meanwhile is
 * harmless (the store falls back on the labels).
 */
final class ReceivedSeries {
  static final int IDLE_MINUTES = 15;
  private static final int SWEEP_EVERY_MINUTES = 5;

  /** A series: the store's reference and labels, and the minute it was last written. */
  static final class Entry {
    final long ref;
    final Labels labels;
    volatile int lastMinute;

    Entry(long ref, Labels labels, int minute) {
      this.ref = ref;
      this.labels = labels;
      this.lastMinute = minute;
    }
  }

  private final ConcurrentHashMap<Key, Entry> map = new ConcurrentHashMap<>();
  private volatile int lastSweep = Integer.MIN_VALUE;

  /** The entry for the key bytes in {@code probe}, or null. */
  Entry get(Key probe, int minute) {
    Entry e = map.get(probe);
    if (e != null && e.lastMinute != minute) {
      e.lastMinute = minute;
    }
    return e;
  }

  /** Remembers a series under a copy of the probe's bytes. */
  void put(Key probe, Entry e) {
    map.put(probe.copy(), e);
  }

  int size() {
    return map.size();
  }

  /** Drops idle entries, unless a sweep ran in the last few minutes. */
  void maybeSweep(int minute) {
    long last = lastSweep; // long: minus Integer.MIN_VALUE ("never") would overflow an int
    if (minute - last < SWEEP_EVERY_MINUTES) {
      return;
    }
    lastSweep = minute;
    for (Iterator<Entry> it = map.values().iterator(); it.hasNext(); ) {
      if (minute - it.next().lastMinute > IDLE_MINUTES) {
        it.remove();
      }
    }
  }

  /**
   * Label bytes as a map key. A request's decoder reuses one as its probe, filling it series by
   * series; only keys put into the map are copies. The hash reads eight bytes at a time (a byte at
   * a time was an eighth of a receiver's CPU), seeded per process so that a sender cannot choose
   * label sets that collide.
   */
  static final class Key {
    private static final VarHandle LONGS =
        MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long SEED = new SecureRandom().nextLong();

    private byte[] b;
    private int len;
    private int hash;
    private boolean hashed;

    Key(int capacity) {
      b = new byte[capacity];
    }

    void clear() {
      len = 0;
      hashed = false;
    }

    /** Appends one name or value: its length, then its bytes, so no two label sets collide. */
    void add(byte[] src, int off, int end) {
      int n = end - off;
      if (len + n + 5 > b.length) {
        b = Arrays.copyOf(b, Math.max(len + n + 5, b.length * 2));
      }
      int v = n;
      while ((v & ~0x7f) != 0) {
        b[len++] = (byte) ((v & 0x7f) | 0x80);
        v >>>= 7;
      }
      b[len++] = (byte) v;
      System.arraycopy(src, off, b, len, n);
      len += n;
      hashed = false;
    }

    Key copy() {
      Key k = new Key(0);
      k.b = Arrays.copyOf(b, len);
      k.len = len;
      k.hash = hashCode();
      k.hashed = true;
      return k;
    }

    @Override
    public int hashCode() {
      if (!hashed) {
        hash = hash(b, len);
        hashed = true;
      }
      return hash;
    }

    private static int hash(byte[] b, int len) {
      long h = SEED ^ len;
      int i = 0;
      for (; i + 8 <= len; i += 8) {
        h =
            Long.rotateLeft(h ^ ((long) LONGS.get(b, i) * 0x9E3779B97F4A7C15L), 29)
                * 0xBF58476D1CE4E5B9L;
      }
      long tail = 0;
      for (int k = len - 1; k >= i; k--) {
        tail = (tail << 8) | (b[k] & 0xffL);
      }
      h = Long.rotateLeft(h ^ (tail * 0x9E3779B97F4A7C15L), 29) * 0xBF58476D1CE4E5B9L;
      h ^= h >>> 31;
      h *= 0x94D049BB133111EBL;
      h ^= h >>> 29;
      return (int) h;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Key k
          && k.hashCode() == hashCode()
          && Arrays.equals(b, 0, len, k.b, 0, k.len);
    }
  }
}
