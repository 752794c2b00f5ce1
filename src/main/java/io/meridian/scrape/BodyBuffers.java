package io.meridian.scrape;

import java.util.zip.Inflater;

/**
 * Scrape body arrays and gzip inflaters lent to scrapes and given back when their body is stored.
 *
 * <p>Why: a scrape of 1,000 series reads ~17 KB of gzip and inflates ~160 KB of text. Fresh arrays
 * for both at 100 targets every 5 s were most of a server's young-generation garbage, hence most of
 * its collections; a fresh inflater per scrape was a native allocation and a cleaner each. Only as
 * many scrapes run at once as there are carrier threads, so a handful of pooled items covers every
 * target. Bounded in count and in the size of an array kept, so one huge body does not stay
 * resident.
 */
final class BodyBuffers {
  /** The pool every scrape shares. */
  static final BodyBuffers SHARED = new BodyBuffers(8, 32 << 20);

  private final byte[][] arrays;
  private final Inflater[] inflaters;
  private final int maxKept;
  private int arrayCount;
  private int inflaterCount;

  BodyBuffers(int slots, int maxKept) {
    this.arrays = new byte[slots][];
    this.inflaters = new Inflater[slots];
    this.maxKept = maxKept;
  }

  /** An array of at least {@code min} bytes, pooled if one is big enough, else new. */
  byte[] take(int min) {
    synchronized (this) {
      for (int i = arrayCount - 1; i >= 0; i--) {
        byte[] a = arrays[i];
        if (a.length >= min) {
          arrays[i] = arrays[--arrayCount];
          arrays[arrayCount] = null;
          return a;
        }
      }
    }
    // A little slack, so the next body of a slowly growing target fits the same array.
    return new byte[(int) Math.min(Integer.MAX_VALUE - 16, min + (long) (min >> 4) + 64)];
  }

  /** Gives an array back; its contents are garbage from now on. */
  void give(byte[] a) {
    if (a == null || a.length > maxKept) {
      return;
    }
    synchronized (this) {
      if (arrayCount < arrays.length) {
        arrays[arrayCount++] = a;
      } else {
        // Full: keep the larger arrays, since a small one is cheap to allocate again.
        int smallest = 0;
        for (int i = 1; i < arrayCount; i++) {
          if (arrays[i].length < arrays[smallest].length) {
            smallest = i;
          }
        }
        if (arrays[smallest].length < a.length) {
          arrays[smallest] = a;
        }
      }
    }
  }

  /** A raw-deflate inflater, reset. */
  Inflater inflater() {
    synchronized (this) {
      if (inflaterCount > 0) {
        Inflater z = inflaters[--inflaterCount];
        inflaters[inflaterCount] = null;
        return z;
      }
    }
    return new Inflater(true);
  }

  /** Gives an inflater back, or ends it when the pool is full. */
  void give(Inflater z) {
    z.reset();
    synchronized (this) {
      if (inflaterCount < inflaters.length) {
        inflaters[inflaterCount++] = z;
        return;
      }
    }
    z.end();
  }
}
