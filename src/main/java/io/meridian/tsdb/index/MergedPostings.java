package io.meridian.tsdb.index;

import java.util.List;
import java.util.PriorityQueue;

/** Ids present in any of several lists, each once, via a heap of the lists' heads. */
final class MergedPostings implements Postings {
  private final PriorityQueue<Postings> heap =
      new PriorityQueue<>((a, b) -> Long.compare(a.at(), b.at()));
  private final List<Postings> lists;
  private boolean started;
  private long current = -1;

  MergedPostings(List<Postings> lists) {
    this.lists = lists;
  }

  private void start() {
    started = true;
    for (Postings p : lists) {
      if (p.next()) {
        heap.add(p);
      }
    }
  }

  @Override
  public boolean next() {
    if (!started) {
      start();
    }
    if (heap.isEmpty()) {
      current = Long.MAX_VALUE;
      return false;
    }
    long min = heap.peek().at();
    while (!heap.isEmpty() && heap.peek().at() == min) {
      Postings p = heap.poll();
      if (p.next()) {
        heap.add(p);
      }
    }
    current = min;
    return true;
  }

  @Override
  public boolean seek(long v) {
    if (started && current >= v) {
      return current != Long.MAX_VALUE;
    }
    if (!started) {
      started = true;
      for (Postings p : lists) {
        if (p.seek(v)) {
          heap.add(p);
        }
      }
    } else {
      List<Postings> behind = new java.util.ArrayList<>();
      while (!heap.isEmpty() && heap.peek().at() < v) {
        behind.add(heap.poll());
      }
      for (Postings p : behind) {
        if (p.seek(v)) {
          heap.add(p);
        }
      }
    }
    return next();
  }

  @Override
  public long at() {
    return current;
  }
}
