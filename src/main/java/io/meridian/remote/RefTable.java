package io.meridian.remote;

import java.util.Arrays;

/**
 * A WAL reader's series by ref: open addressing over {@code long} keys, so the lookup for every
 * sample boxes nothing. Each entry remembers the segment its series record was last read from, so
 * series a newer checkpoint no longer names can be forgotten.
 */
final class RefTable<V> {
  private static final long EMPTY = Long.MIN_VALUE;
  private long[] keys;
  private Object[] values;
  private int[] segments;
  private int size;

  RefTable() {
    keys = new long[1024];
    Arrays.fill(keys, EMPTY);
    values = new Object[1024];
    segments = new int[1024];
  }

  /** The value for {@code ref}, or null. */
  @SuppressWarnings("unchecked")
  V get(long ref) {
    int mask = keys.length - 1;
    for (int i = slot(ref, mask); ; i = (i + 1) & mask) {
      long k = keys[i];
      if (k == ref) {
        return (V) values[i];
      }
      if (k == EMPTY) {
        return null;
      }
    }
  }

  /** Whether {@code ref} has an entry (its value may be null: a series relabeling dropped). */
  boolean contains(long ref) {
    int mask = keys.length - 1;
    for (int i = slot(ref, mask); ; i = (i + 1) & mask) {
      long k = keys[i];
      if (k == ref) {
        return true;
      }
      if (k == EMPTY) {
        return false;
      }
    }
  }

  void put(long ref, V value, int segment) {
    if ((size + 1) * 2 > keys.length) {
      resize(keys.length * 2);
    }
    int mask = keys.length - 1;
    int i = slot(ref, mask);
    while (keys[i] != EMPTY && keys[i] != ref) {
      i = (i + 1) & mask;
    }
    if (keys[i] == EMPTY) {
      size++;
    }
    keys[i] = ref;
    values[i] = value;
    segments[i] = segment;
  }

  int size() {
    return size;
  }

  /** Forgets entries last read from a segment before {@code segment}; returns how many. */
  int removeBefore(int segment) {
    long[] oldKeys = keys;
    Object[] oldValues = values;
    int[] oldSegments = segments;
    int n = oldKeys.length;
    keys = new long[n];
    Arrays.fill(keys, EMPTY);
    values = new Object[n];
    segments = new int[n];
    int before = size;
    size = 0;
    for (int i = 0; i < n; i++) {
      if (oldKeys[i] != EMPTY && oldSegments[i] >= segment) {
        @SuppressWarnings("unchecked")
        V v = (V) oldValues[i];
        put(oldKeys[i], v, oldSegments[i]);
      }
    }
    return before - size;
  }

  private void resize(int n) {
    long[] oldKeys = keys;
    Object[] oldValues = values;
    int[] oldSegments = segments;
    keys = new long[n];
    Arrays.fill(keys, EMPTY);
    values = new Object[n];
    segments = new int[n];
    size = 0;
    for (int i = 0; i < oldKeys.length; i++) {
      if (oldKeys[i] != EMPTY) {
        @SuppressWarnings("unchecked")
        V v = (V) oldValues[i];
        put(oldKeys[i], v, oldSegments[i]);
      }
    }
  }

  private static int slot(long ref, int mask) {
    long h = ref * 0x9E3779B97F4A7C15L;
    return (int) (h ^ (h >>> 32)) & mask;
  }
}
