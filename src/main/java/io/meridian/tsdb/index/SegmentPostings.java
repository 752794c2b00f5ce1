package io.meridian.tsdb.index;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/** A postings list read in place from an index file: big-endian 32-bit series ids. */
final class SegmentPostings implements Postings {
  private static final ValueLayout.OfInt BE32 =
      ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

  private final MemorySegment seg;
  private final long base;
  private final int n;
  private int i = -1;

  SegmentPostings(MemorySegment seg, long base, int n) {
    this.seg = seg;
    this.base = base;
    this.n = n;
  }

  private long id(int k) {
    return seg.get(BE32, base + 4L * k) & 0xffffffffL;
  }

  @Override
  public boolean next() {
    if (i < n) {
      i++;
    }
    return i < n;
  }

  @Override
  public boolean seek(long v) {
    if (i < 0) {
      i = 0;
    }
    if (i >= n || id(i) >= v) {
      return i < n;
    }
    int lo = i + 1;
    int hi = n;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (id(mid) < v) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    i = lo;
    return i < n;
  }

  @Override
  public long at() {
    return id(i);
  }
}
