package io.meridian.scrape;

import io.meridian.util.Hash128;
import java.util.Arrays;
import java.util.function.Predicate;

/**
 * A scrape loop's series by their raw text ({@code name{labels}} as the target wrote it), looked up
 * straight from the body's bytes: a lookup makes no String.
 *
 * <p>An entry keeps the text's length and {@link Hash128}, not the text: a target's series text is
 * some 100 to 200 bytes, and copies of it were a fifth of a scraping server's live heap. The hash's
 * 128 bits make two series of one target sharing one a practical impossibility (see there).
 *
 * <p>A target writes its series in the same order scrape after scrape, so entries are also kept in
 * the order they came, and a lookup first tries the entry after the one found last: when it matches
 * (the steady case) there is no probe of the table, whose random reads were a cache miss per
 * sample, and the parser, told the prediction, skips scanning the series' text. Otherwise the hash
 * table (open addressing, linear probing) answers. Removal rebuilds both, which a scrape does only
 * when series went away.
 *
 * @param <V> what is kept per series
 */
final class SeriesCache<V> {
  /** The table: for each slot, 1 + the entry's position in the order, or 0 when empty. */
  private int[] slots = new int[16];

  private int[] lengths = new int[8];

  /** Per entry, the low then the high half of its text's hash. */
  private long[] hashes = new long[16];

  private Object[] values = new Object[8];
  private int size;
  private final Hash128 hash = new Hash128();

  /** The position the next lookup tries first. */
  private int next;

  /** The value for the key at {@code b[off, off+len)}, or null. */
  @SuppressWarnings("unchecked")
  V get(byte[] b, int off, int len) {
    hash.hash(b, off, len);
    long lo = hash.lo();
    long hi = hash.hi();
    int n = next;
    if (n < size && matches(n, len, lo, hi)) {
      next = n + 1;
      return (V) values[n];
    }
    int mask = slots.length - 1;
    for (int i = (int) lo & mask; ; i = (i + 1) & mask) {
      int s = slots[i];
      if (s == 0) {
        return null;
      }
      int e = s - 1;
      if (matches(e, len, lo, hi)) {
        next = e + 1;
        return (V) values[e];
      }
    }
  }

  private boolean matches(int e, int len, long lo, long hi) {
    return lengths[e] == len && hashes[2 * e] == lo && hashes[2 * e + 1] == hi;
  }

  /**
   * The length of the key the next lookup tries first (the entry after the last one found), or -1:
   * with {@link #predictedLo()} and {@link #predictedHi()}, what a parser needs to match it against
   * the line it reads and skip scanning the series' text.
   */
  int predictedLength() {
    return next < size ? lengths[next] : -1;
  }

  long predictedLo() {
    return next < size ? hashes[2 * next] : 0;
  }

  long predictedHi() {
    return next < size ? hashes[2 * next + 1] : 0;
  }

  /** The value of the predicted entry, which the caller found matching; moves past it. */
  @SuppressWarnings("unchecked")
  V takePredicted() {
    return (V) values[next++];
  }

  /** Adds a key not yet present, {@code b[off, off+len)}, last in the order. */
  void put(byte[] b, int off, int len, V value) {
    if (size == lengths.length) {
      int cap = lengths.length * 2;
      lengths = Arrays.copyOf(lengths, cap);
      hashes = Arrays.copyOf(hashes, 2 * cap);
      values = Arrays.copyOf(values, cap);
    }
    if ((size + 1) * 4 > slots.length * 3) {
      slots = new int[slots.length * 2];
      for (int e = 0; e < size; e++) {
        place(e);
      }
    }
    hash.hash(b, off, len);
    lengths[size] = len;
    hashes[2 * size] = hash.lo();
    hashes[2 * size + 1] = hash.hi();
    values[size] = value;
    place(size);
    size++;
    next = size;
  }

  private void place(int e) {
    int mask = slots.length - 1;
    int i = (int) hashes[2 * e] & mask;
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
        lengths[kept] = lengths[e];
        hashes[2 * kept] = hashes[2 * e];
        hashes[2 * kept + 1] = hashes[2 * e + 1];
        values[kept] = values[e];
        kept++;
      }
    }
    next = 0;
    if (kept == size) {
      return;
    }
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
