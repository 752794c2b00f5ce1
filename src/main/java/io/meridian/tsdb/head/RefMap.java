package io.meridian.tsdb.head;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Series by ref, read without locks. Refs are handed out one after another (by this head or, in a
 * replayed WAL, by Prometheus's, which does the same), so the map is a paged array indexed by the
 * ref itself: a lookup is two array loads, and the series a scrape appends to, created together,
 * sit next to each other in memory instead of scattered over a hash table. That costs one reference
 * per ref ever handed out, less than a hash table's key, value and free slots per live series;
 * pages whose series are all gone are dropped. Refs beyond the paged range (only a foreign WAL
 * could hold such) go to a hash map.
 *
 * <p>Readers see a series once a writer has stored it with release semantics; writers hold the
 * map's lock.
 */
final class RefMap {
  private static final int PAGE_BITS = 10;
  private static final int PAGE_SIZE = 1 << PAGE_BITS;

  /** Refs at or above this are kept in {@link #sparse}; the directory never exceeds 2^24 pages. */
  static final long MAX_PAGED_REF = 1L << (PAGE_BITS + 24);

  private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(MemSeries[].class);

  /** Pages by {@code ref >>> PAGE_BITS}; replaced as a whole when it grows. */
  private volatile MemSeries[][] pages = new MemSeries[16][];

  private final ConcurrentHashMap<Long, MemSeries> sparse = new ConcurrentHashMap<>();

  MemSeries get(long ref) {
    if (ref < 0 || ref >= MAX_PAGED_REF) {
      return sparse.get(ref);
    }
    MemSeries[][] d = pages;
    int p = (int) (ref >>> PAGE_BITS);
    if (p >= d.length) {
      return null;
    }
    MemSeries[] page = d[p];
    return page == null ? null : (MemSeries) SLOT.getAcquire(page, (int) ref & (PAGE_SIZE - 1));
  }

  /** Maps {@code ref} to {@code s} unless it is mapped already; returns the mapped series. */
  synchronized MemSeries putIfAbsent(long ref, MemSeries s) {
    if (ref < 0 || ref >= MAX_PAGED_REF) {
      MemSeries old = sparse.putIfAbsent(ref, s);
      return old != null ? old : s;
    }
    int p = (int) (ref >>> PAGE_BITS);
    MemSeries[][] d = pages;
    if (p >= d.length) {
      d = Arrays.copyOf(d, Math.max(p + 1, d.length * 2));
      pages = d;
    }
    MemSeries[] page = d[p];
    if (page == null) {
      page = new MemSeries[PAGE_SIZE];
      d[p] = page; // readers reaching this page through a stale directory see null: not yet there
    }
    int i = (int) ref & (PAGE_SIZE - 1);
    MemSeries old = page[i];
    if (old != null) {
      return old;
    }
    SLOT.setRelease(page, i, s);
    return s;
  }

  /** Removes every entry whose series {@code drop} accepts, and the pages left empty. */
  synchronized void removeIf(Predicate<MemSeries> drop) {
    MemSeries[][] d = pages;
    for (int p = 0; p < d.length; p++) {
      MemSeries[] page = d[p];
      if (page == null) {
        continue;
      }
      boolean empty = true;
      for (int i = 0; i < PAGE_SIZE; i++) {
        MemSeries s = page[i];
        if (s != null && drop.test(s)) {
          SLOT.setRelease(page, i, null);
        } else if (s != null) {
          empty = false;
        }
      }
      if (empty) {
        d[p] = null;
      }
    }
    sparse.values().removeIf(drop);
  }

  boolean containsKey(long ref) {
    return get(ref) != null;
  }

  void forEach(Consumer<MemSeries> action) {
    for (MemSeries[] page : pages) {
      if (page == null) {
        continue;
      }
      for (int i = 0; i < PAGE_SIZE; i++) {
        MemSeries s = (MemSeries) SLOT.getAcquire(page, i);
        if (s != null) {
          action.accept(s);
        }
      }
    }
    sparse.values().forEach(action);
  }
}
