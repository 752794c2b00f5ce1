package io.meridian.tsdb.index;

import java.util.List;

/** Ids present in every one of several lists, found by leapfrogging seeks. */
final class IntersectPostings implements Postings {
  private final Postings[] lists;
  private long current = -1;
  private boolean exhausted;

  IntersectPostings(List<Postings> lists) {
    this.lists = lists.toArray(Postings[]::new);
  }

  @Override
  public boolean next() {
    return seek(current + 1);
  }

  @Override
  public boolean seek(long v) {
    if (exhausted) {
      return false;
    }
    if (current >= v) {
      return true;
    }
    long target = v;
    while (true) {
      boolean agreed = true;
      for (Postings p : lists) {
        if (!p.seek(target)) {
          exhausted = true;
          return false;
        }
        if (p.at() > target) {
          target = p.at();
          agreed = false;
        }
      }
      if (agreed) {
        current = target;
        return true;
      }
    }
  }

  @Override
  public long at() {
    return current;
  }
}
