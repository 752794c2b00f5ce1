package io.meridian.tsdb.head;

import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Series by ref without boxing: striped open-addressing tables of primitive keys, each stripe under
 * its own lock. Looking a series up by ref happens for nearly every appended sample, so it must
 * neither allocate nor contend.
 */
final class RefMap {
  private static final int STRIPES = 64;
  private final Stripe[] stripes = new Stripe[STRIPES];

  RefMap() {
    for (int i = 0; i < STRIPES; i++) {
      stripes[i] = new Stripe();
    }
  }

  private Stripe stripe(long ref) {
    return stripes[(int) (mix(ref) >>> 58)];
  }

  private static long mix(long x) {
    x *= 0x9E3779B97F4A7C15L;
    return x ^ (x >>> 29);
  }

  MemSeries get(long ref) {
    return stripe(ref).get(ref);
  }

  /** Maps {@code ref} to {@code s} unless it is mapped already; returns the mapped series. */
  MemSeries putIfAbsent(long ref, MemSeries s) {
    return stripe(ref).putIfAbsent(ref, s);
  }

  /** Removes every entry whose series {@code drop} accepts. */
  void removeIf(Predicate<MemSeries> drop) {
    for (Stripe st : stripes) {
      st.removeIf(drop);
    }
  }

  boolean containsKey(long ref) {
    return get(ref) != null;
  }

  void forEach(Consumer<MemSeries> action) {
    for (Stripe st : stripes) {
      st.forEach(action);
    }
  }

  /** Linear probing with keys 0 as empty (refs start at 1). */
  private static final class Stripe {
    private long[] keys = new long[16];
    private MemSeries[] values = new MemSeries[16];
    private int size;

    synchronized MemSeries get(long ref) {
      int mask = keys.length - 1;
      for (int i = (int) mix(ref) & mask; ; i = (i + 1) & mask) {
        long k = keys[i];
        if (k == ref) {
          return values[i];
        }
        if (k == 0) {
          return null;
        }
      }
    }

    synchronized MemSeries putIfAbsent(long ref, MemSeries s) {
      MemSeries old = get(ref);
      if (old != null) {
        return old;
      }
      if ((size + 1) * 2 > keys.length) {
        rehash(keys.length * 2);
      }
      insert(ref, s);
      size++;
      return s;
    }

    private void insert(long ref, MemSeries s) {
      int mask = keys.length - 1;
      int i = (int) mix(ref) & mask;
      while (keys[i] != 0) {
        i = (i + 1) & mask;
      }
      keys[i] = ref;
      values[i] = s;
    }

    private void rehash(int capacity) {
      long[] oldKeys = keys;
      MemSeries[] oldValues = values;
      keys = new long[capacity];
      values = new MemSeries[capacity];
      for (int i = 0; i < oldKeys.length; i++) {
        if (oldKeys[i] != 0) {
          insert(oldKeys[i], oldValues[i]);
        }
      }
    }

    synchronized void removeIf(Predicate<MemSeries> drop) {
      long[] oldKeys = keys;
      MemSeries[] oldValues = values;
      int capacity = 16;
      int kept = 0;
      for (int i = 0; i < oldKeys.length; i++) {
        if (oldKeys[i] != 0 && !drop.test(oldValues[i])) {
          kept++;
        }
      }
      while (kept * 2 > capacity) {
        capacity *= 2;
      }
      keys = new long[capacity];
      values = new MemSeries[capacity];
      for (int i = 0; i < oldKeys.length; i++) {
        if (oldKeys[i] != 0 && !drop.test(oldValues[i])) {
          insert(oldKeys[i], oldValues[i]);
        }
      }
      size = kept;
    }

    synchronized void forEach(Consumer<MemSeries> action) {
      for (int i = 0; i < keys.length; i++) {
        if (keys[i] != 0) {
          action.accept(values[i]);
        }
      }
    }
  }
}
