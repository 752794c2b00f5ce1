package io.meridian.scrape;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.function.Predicate;

/**
 * A scrape loop's series by their raw text ({@code name{labels}} as the target wrote it), looked up
 * straight from the body's bytes: a lookup makes no String.
 *
 * <p>A target writes its series in the same order scrape after scrape, so entries are also kept in
 * the order they came, and a lookup first tries the entry after the one found last: when it matches
 * (the steady case) the lookup is one comparison of bytes that lie next to the last ones compared,
 * with no hashing and no probe of the table, whose random reads were a cache miss per sample.
 * Otherwise the hash table (open addressing, linear probing) answers. Removal rebuilds both, which
 * a scrape does only when series went away.
 *
 * @param <V> what is kept per series
 */
final class SeriesCache<V> {
  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  /** The table: for each slot, 1 + the entry's position in the order, or 0 when empty. */
  private int[] slots = new int[16];

  private byte[][] keys = new byte[8][];
  private int[] hashes = new int[8];
  private Object[] values = new Object[8];
  private int size;

  /** The position the next lookup tries first. */
  private int next;

  /** The hash of {@code len} bytes at {@code off}. */
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

  /** The value for the key at {@code b[off, off+len)}, or null. */
  @SuppressWarnings("unchecked")
  V get(byte[] b, int off, int len) {
    int n = next;
    if (n < size) {
      byte[] k = keys[n];
      if (k.length == len && Arrays.equals(k, 0, len, b, off, off + len)) {
        next = n + 1;
        return (V) values[n];
      }
    }
    int h = hash(b, off, len);
    int mask = slots.length - 1;
    for (int i = h & mask; ; i = (i + 1) & mask) {
      int s = slots[i];
      if (s == 0) {
        return null;
      }
      int e = s - 1;
      byte[] k = keys[e];
      if (hashes[e] == h && Arrays.equals(k, 0, k.length, b, off, off + len)) {
        next = e + 1;
        return (V) values[e];
      }
    }
  }

  /**
   * The key the next lookup tries first (the entry after the last one found), or null: a parser can
   * match it against the line it reads and skip scanning the series' text.
   */
  byte[] predicted() {
    return next < size ? keys[next] : null;
  }

  /**
   * The value of the {@link #predicted()} entry, which the caller found matching; moves past it.
   */
  @SuppressWarnings("unchecked")
  V takePredicted() {
    return (V) values[next++];
  }

  /** Adds a key not yet present (a copy of {@code b[off, off+len)}), last in the order. */
  void put(byte[] b, int off, int len, V value) {
    if (size == keys.length) {
      int cap = keys.length * 2;
      keys = Arrays.copyOf(keys, cap);
      hashes = Arrays.copyOf(hashes, cap);
      values = Arrays.copyOf(values, cap);
    }
    if ((size + 1) * 4 > slots.length * 3) {
      slots = new int[slots.length * 2];
      for (int e = 0; e < size; e++) {
        place(e);
      }
    }
    keys[size] = Arrays.copyOfRange(b, off, off + len);
    hashes[size] = hash(b, off, len);
    values[size] = value;
    place(size);
    size++;
    next = size;
  }

  private void place(int e) {
    int mask = slots.length - 1;
    int i = hashes[e] & mask;
    while (slots[i] != 0) {
      i = (i + 1) & mask;
    }
    slots[i] = e + 1;
  }

  /**
   * Starts a scrape: its first lookup tries the first entry. Removes every entry whose value {@code
   * drop} accepts, keeping the order of the others.
   */
  @SuppressWarnings("unchecked")
  void removeIf(Predicate<V> drop) {
    int kept = 0;
    for (int e = 0; e < size; e++) {
      if (!drop.test((V) values[e])) {
        keys[kept] = keys[e];
        hashes[kept] = hashes[e];
        values[kept] = values[e];
        kept++;
      }
    }
    next = 0;
    if (kept == size) {
      return;
    }
    Arrays.fill(keys, kept, size, null);
    Arrays.fill(values, kept, size, null);
    size = kept;
    int cap = 16;
    while (kept * 4 > cap * 3) {
      cap *= 2;
    }
    slots = new int[cap];
    for (int e = 0; e < size; e++) {
      place(e);
    }
  }

  /** Makes the next lookup try the first entry (a new scrape begins). */
  void rewind() {
    next = 0;
  }

  int size() {
    return size;
  }
}
