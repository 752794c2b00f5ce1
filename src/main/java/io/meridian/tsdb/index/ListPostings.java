package io.meridian.tsdb.index;

/** Postings over an ascending array of ids. */
public final class ListPostings implements Postings {
  private final long[] ids;
  private int i = -1;

  /** Wraps {@code ids}, which must be strictly ascending; not copied. */
  public ListPostings(long[] ids) {
    this.ids = ids;
  }

  @Override
  public boolean next() {
    if (i < ids.length) {
      i++;
    }
    return i < ids.length;
  }

  @Override
  public boolean seek(long v) {
    if (i < 0) {
      i = 0;
    }
    if (i >= ids.length || ids[i] >= v) {
      return i < ids.length;
    }
    // Gallop, then binary search: seeks in intersections often jump far.
    int lo = i;
    int step = 1;
    int hi = i + step;
    while (hi < ids.length && ids[hi] < v) {
      lo = hi;
      step <<= 1;
      hi = i + step;
    }
    hi = Math.min(hi, ids.length - 1);
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (ids[mid] < v) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    i = ids[lo] >= v ? lo : ids.length;
    return i < ids.length;
  }

  @Override
  public long at() {
    return ids[i];
  }
}
