package io.meridian.tsdb.chunk;

import java.util.Arrays;

/**
 * Deleted time ranges of one series, both ends inclusive, sorted and merged so that overlapping or
 * adjacent ranges are one (as Prometheus merges them when it adds a tombstone). Immutable.
 */
public final class Intervals {
  public static final Intervals NONE = new Intervals(new long[0]);

  /** mint, maxt pairs in time order, none overlapping or adjacent. */
  private final long[] bounds;

  private Intervals(long[] bounds) {
    this.bounds = bounds;
  }

  /** These ranges and {@code [mint, maxt]}. */
  public Intervals add(long mint, long maxt) {
    if (mint > maxt) {
      throw new IllegalArgumentException("empty interval [" + mint + ", " + maxt + "]");
    }
    long[] out = new long[bounds.length + 2];
    int n = 0;
    boolean placed = false;
    for (int i = 0; i < bounds.length; i += 2) {
      long lo = bounds[i];
      long hi = bounds[i + 1];
      if (hi != Long.MAX_VALUE && hi + 1 < mint) {
        out[n++] = lo; // wholly before the new range
        out[n++] = hi;
      } else if (maxt != Long.MAX_VALUE && lo > maxt + 1) {
        if (!placed) {
          out[n++] = mint;
          out[n++] = maxt;
          placed = true;
        }
        out[n++] = lo;
        out[n++] = hi;
      } else {
        mint = Math.min(mint, lo); // touches the new range: absorb it
        maxt = Math.max(maxt, hi);
      }
    }
    if (!placed) {
      out[n++] = mint;
      out[n++] = maxt;
    }
    return new Intervals(Arrays.copyOf(out, n));
  }

  /** These ranges, but none before {@code mint} (the head drops what it no longer holds). */
  public Intervals dropBefore(long mint) {
    int i = 0;
    while (i < bounds.length && bounds[i + 1] < mint) {
      i += 2;
    }
    return i == 0
        ? this
        : i == bounds.length ? NONE : new Intervals(Arrays.copyOfRange(bounds, i, bounds.length));
  }

  public boolean isEmpty() {
    return bounds.length == 0;
  }

  public int size() {
    return bounds.length / 2;
  }

  public long mint(int i) {
    return bounds[2 * i];
  }

  public long maxt(int i) {
    return bounds[2 * i + 1];
  }

  /** Whether {@code t} is deleted. */
  public boolean contains(long t) {
    for (int i = 0; i < bounds.length; i += 2) {
      if (t < bounds[i]) {
        return false;
      }
      if (t <= bounds[i + 1]) {
        return true;
      }
    }
    return false;
  }

  /** Whether all of {@code [mint, maxt]} is deleted. */
  public boolean covers(long mint, long maxt) {
    for (int i = 0; i < bounds.length; i += 2) {
      if (bounds[i] <= mint && maxt <= bounds[i + 1]) {
        return true;
      }
    }
    return false;
  }

  /** Whether some of {@code [mint, maxt]} is deleted. */
  public boolean overlaps(long mint, long maxt) {
    for (int i = 0; i < bounds.length; i += 2) {
      if (bounds[i] <= maxt && mint <= bounds[i + 1]) {
        return true;
      }
    }
    return false;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Intervals other && Arrays.equals(bounds, other.bounds);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bounds);
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder("[");
    for (int i = 0; i < bounds.length; i += 2) {
      b.append(i == 0 ? "" : ", ")
          .append('[')
          .append(bounds[i])
          .append(", ")
          .append(bounds[i + 1])
          .append(']');
    }
    return b.append(']').toString();
  }
}
