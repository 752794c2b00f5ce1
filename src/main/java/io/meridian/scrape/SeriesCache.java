package io.meridian.scrape;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.function.Predicate;

/**
 * A scrape loop's series by their raw text ({@code name{labels}} as the target wrote it), looked up
 * straight from the body's bytes: a lookup per sample makes no String and hashes eight bytes at a
 * time. Open addressing with linear probing; removal rebuilds the table, which a scrape does only
 * when series went away.
 *
 * @param <V> what is kept per series
 */
final class SeriesCache<V> {
  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private byte[][] keys = new byte[16][];
  private int[] hashes = new int[16];
  private Object[] values = new Object[16];
  private int size;

  /** The hash of {@code len} bytes at {@code off}, as {@link #get} and {@link #put} take it. */
  static int hash(byte[] b, int off, int len) {
    long h = 0x9E3779B97F4A7C15L ^ len;
    int i = off;
    int end = off + len;
    for (; i + 8 <= end; i += 8) {
      h = Long.rotateLeft(h ^ (long) LONGS.get(b, i), 29) * 0xBF58476D1CE4E5B9L;
    }
    for (; i < end; i++) {
      h = (h ^ b[i]) * 0x94D049BB133111EBL;
    }
    h ^= h >>> 31;
    return (int) (h ^ (h >>> 32));
  }

  /** The value for the key at {@code b[off, off+len)} with hash {@code h}, or null. */
  @SuppressWarnings("unchecked")
  V get(byte[] b, int off, int len, int h) {
    int mask = keys.length - 1;
    for (int i = h & mask; ; i = (i + 1) & mask) {
      byte[] k = keys[i];
      if (k == null) {
        return null;
      }
      if (hashes[i] == h && Arrays.equals(k, 0, k.length, b, off, off + len)) {
        return (V) values[i];
      }
    }
  }

  /** Adds a key not yet present (a copy of {@code b[off, off+len)}). */
  void put(byte[] b, int off, int len, int h, V value) {
    if ((size + 1) * 4 > keys.length * 3) {
      resize(keys.length * 2);
    }
    insert(Arrays.copyOfRange(b, off, off + len), h, value);
    size++;
  }

  private void insert(byte[] key, int h, Object value) {
    int mask = keys.length - 1;
    int i = h & mask;
    while (keys[i] != null) {
      i = (i + 1) & mask;
    }
    keys[i] = key;
    hashes[i] = h;
    values[i] = value;
  }

  private void resize(int capacity) {
    byte[][] oldKeys = keys;
    int[] oldHashes = hashes;
    Object[] oldValues = values;
    keys = new byte[capacity][];
    hashes = new int[capacity];
    values = new Object[capacity];
    for (int i = 0; i < oldKeys.length; i++) {
      if (oldKeys[i] != null) {
        insert(oldKeys[i], oldHashes[i], oldValues[i]);
      }
    }
  }

  /** Removes every entry whose value {@code drop} accepts. */
  @SuppressWarnings("unchecked")
  void removeIf(Predicate<V> drop) {
    int kept = 0;
    for (int i = 0; i < keys.length; i++) {
      if (keys[i] != null && !drop.test((V) values[i])) {
        kept++;
      }
    }
    if (kept == size) {
      return;
    }
    byte[][] oldKeys = keys;
    int[] oldHashes = hashes;
    Object[] oldValues = values;
    int capacity = 16;
    while (kept * 4 > capacity * 3) {
      capacity *= 2;
    }
    keys = new byte[capacity][];
    hashes = new int[capacity];
    values = new Object[capacity];
    for (int i = 0; i < oldKeys.length; i++) {
      if (oldKeys[i] != null && !drop.test((V) oldValues[i])) {
        insert(oldKeys[i], oldHashes[i], oldValues[i]);
      }
    }
    size = kept;
  }

  int size() {
    return size;
  }
}
