package io.meridian.storage;

import io.meridian.model.Labels;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Walks several label-sorted cursors (series sets or chunk series sets) together: each step yields
 * the items that share the smallest labels, in the order of their sources, so a merge can let the
 * first source win. The heap logic every merging querier needs, written once.
 *
 * @param <T> the item: a series or a chunk series
 */
public final class LabelsMerge<T> {

  /** A sorted cursor, seen through its three methods. */
  public record Source<T>(BooleanSupplier next, Supplier<T> at, Supplier<List<String>> warnings) {}

  private record Entry<T>(Source<T> source, T item, int order) {}

  private final List<Source<T>> sources;
  private final Function<T, Labels> labelsOf;
  private final Function<List<T>, T> combine;
  private final int limit;
  private final PriorityQueue<Entry<T>> heap;
  private boolean started;
  private int returned;
  private T current;

  /**
   * @param combine makes one item of the items sharing labels (called only for two or more)
   * @param limit the most items to yield, 0 for all
   */
  public LabelsMerge(
      List<Source<T>> sources,
      Function<T, Labels> labelsOf,
      Function<List<T>, T> combine,
      int limit) {
    this.sources = sources;
    this.labelsOf = labelsOf;
    this.combine = combine;
    this.limit = limit;
    this.heap =
        new PriorityQueue<>(
            Comparator.comparing((Entry<T> e) -> labelsOf.apply(e.item))
                .thenComparingInt(Entry::order));
  }

  /** Moves to the next labels: their items combined; false when done or at the limit. */
  public boolean next() {
    if (limit > 0 && returned == limit) {
      return false;
    }
    List<T> group = nextGroup();
    if (group.isEmpty()) {
      return false;
    }
    current = group.size() == 1 ? group.getFirst() : combine.apply(group);
    returned++;
    return true;
  }

  /** The current item. */
  public T at() {
    return current;
  }

  /** The items with the next labels, in source order; empty when every source is done. */
  private List<T> nextGroup() {
    if (!started) {
      started = true;
      for (int i = 0; i < sources.size(); i++) {
        advance(sources.get(i), i);
      }
    }
    List<T> group = new ArrayList<>(2);
    if (heap.isEmpty()) {
      return group;
    }
    Labels labels = labelsOf.apply(heap.peek().item);
    while (!heap.isEmpty() && labelsOf.apply(heap.peek().item).equals(labels)) {
      Entry<T> e = heap.poll();
      group.add(e.item);
      advance(e.source, e.order);
    }
    return group;
  }

  private void advance(Source<T> s, int order) {
    if (s.next().getAsBoolean()) {
      heap.add(new Entry<>(s, s.at().get(), order));
    }
  }

  /** The warnings of every source. */
  public List<String> warnings() {
    List<String> w = new ArrayList<>();
    sources.forEach(s -> w.addAll(s.warnings().get()));
    return w;
  }
}
