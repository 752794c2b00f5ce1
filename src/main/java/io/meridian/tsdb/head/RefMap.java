package io.meridian.tsdb.head;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Series by ref without boxing or locks on the read path: striped open-addressing tables of
 * primitive keys. Looking a series up by ref happens for nearly every appended sample, so reads
 * take no lock: a writer stores the value before publishing the key with release semantics, and
 * replaces a stripe's table as a whole when it grows. Writers lock their stripe.
 */
final class RefMap {
  private static final int STRIPES = 64;
  private static final VarHandle KEYS = MethodHandles.arrayElementVarHandle(long[].class);
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
      st.table.forEach(action);
    }
  }

  /** One immutable-size table: keys 0 are empty (refs start at 1). */
  private static final class Table {
    final long[] keys;
    final MemSeries[] values;

    Table(int capacity) {
      keys = new long[capacity];
      values = new MemSeries[capacity];
    }

    MemSeries get(long ref) {
      int mask = keys.length - 1;
      for (int i = (int) mix(ref) & mask; ; i = (i + 1) & mask) {
        long k = (long) KEYS.getAcquire(keys, i);
        if (k == ref) {
          return values[i]; // stored before the key was published
        }
        if (k == 0) {
          return null;
        }
      }
    }

    void insert(long ref, MemSeries s) {
      int mask = keys.length - 1;
      int i = (int) mix(ref) & mask;
      while (keys[i] != 0) {
        i = (i + 1) & mask;
      }
      values[i] = s;
      KEYS.setRelease(keys, i, ref);
    }

    void forEach(Consumer<MemSeries> action) {
      for (int i = 0; i < keys.length; i++) {
        if ((long) KEYS.getAcquire(keys, i) != 0) {
          action.accept(values[i]);
        }
      }
    }
  }

  private static final class Stripe {
    private volatile Table table = new Table(16);
    private int size;

    MemSeries get(long ref) {
      return table.get(ref);
    }

    synchronized MemSeries putIfAbsent(long ref, MemSeries s) {
      MemSeries old = table.get(ref);
      if (old != null) {
        return old;
      }
      if ((size + 1) * 2 > table.keys.length) {
        table = rebuild(table, table.keys.length * 2, x -> false);
      }
      table.insert(ref, s);
      size++;
      return s;
    }

    synchronized void removeIf(Predicate<MemSeries> drop) {
      int kept = 0;
      Table t = table;
      for (int i = 0; i < t.keys.length; i++) {
        if (t.keys[i] != 0 && !drop.test(t.values[i])) {
          kept++;
        }
      }
      int capacity = 16;
      while (kept * 2 > capacity) {
        capacity *= 2;
      }
      table = rebuild(t, capacity, drop);
      size = kept;
    }

    /** A new table with the entries {@code drop} does not accept; published whole. */
    private static Table rebuild(Table old, int capacity, Predicate<MemSeries> drop) {
      Table t = new Table(capacity);
      for (int i = 0; i < old.keys.length; i++) {
        if (old.keys[i] != 0 && !drop.test(old.values[i])) {
          t.insert(old.keys[i], old.values[i]);
        }
      }
      return t;
    }
  }
}
