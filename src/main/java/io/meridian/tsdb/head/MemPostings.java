package io.meridian.tsdb.head;

import io.meridian.model.Labels;
import io.meridian.tsdb.index.ListPostings;
import io.meridian.tsdb.index.Postings;
import io.meridian.tsdb.index.PostingsSource;
import io.meridian.util.Utf8Order;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The head's inverted index: for each label pair, the refs of the series that have it, ascending.
 * Readers get snapshots; writers lock one list at a time. Refs are handed out in increasing order,
 * so adding is almost always an append.
 */
final class MemPostings implements PostingsSource {
  private final ConcurrentHashMap<String, ConcurrentHashMap<String, RefList>> index =
      new ConcurrentHashMap<>();
  private final RefList all = new RefList();

  /** A sorted, growable list of refs. */
  private static final class RefList {
    private long[] refs = new long[2];
    private int size;

    synchronized void add(long ref) {
      if (size == refs.length) {
        refs = Arrays.copyOf(refs, size * 2);
      }
      int i = size;
      // Refs of concurrently created series may arrive slightly out of order.
      while (i > 0 && refs[i - 1] > ref) {
        refs[i] = refs[i - 1];
        i--;
      }
      refs[i] = ref;
      size++;
    }

    synchronized int removeAll(java.util.function.LongPredicate drop) {
      int keep = 0;
      for (int i = 0; i < size; i++) {
        if (!drop.test(refs[i])) {
          refs[keep++] = refs[i];
        }
      }
      size = keep;
      return size;
    }

    synchronized long[] snapshot() {
      return Arrays.copyOf(refs, size);
    }
  }

  void add(long ref, Labels labels) {
    all.add(ref);
    for (int i = 0; i < labels.size(); i++) {
      index
          .computeIfAbsent(labels.name(i), k -> new ConcurrentHashMap<>())
          .computeIfAbsent(labels.value(i), k -> new RefList())
          .add(ref);
    }
  }

  /** Removes the refs {@code drop} accepts from every list, and lists left empty. */
  void remove(java.util.function.LongPredicate drop) {
    all.removeAll(drop);
    for (Map.Entry<String, ConcurrentHashMap<String, RefList>> byName : index.entrySet()) {
      byName.getValue().entrySet().removeIf(e -> e.getValue().removeAll(drop) == 0);
      if (byName.getValue().isEmpty()) {
        index.remove(byName.getKey(), byName.getValue());
      }
    }
  }

  /** Label names, sorted. */
  List<String> labelNames() {
    List<String> names = new ArrayList<>(index.keySet());
    names.sort(Utf8Order.COMPARATOR);
    return names;
  }

  @Override
  public List<String> labelValues(String name) {
    Map<String, RefList> values = index.get(name);
    if (values == null) {
      return List.of();
    }
    List<String> out = new ArrayList<>(values.keySet());
    out.sort(Utf8Order.COMPARATOR);
    return out;
  }

  @Override
  public Postings postings(String name, String value) {
    Map<String, RefList> values = index.get(name);
    RefList l = values == null ? null : values.get(value);
    return l == null ? Postings.empty() : new ListPostings(l.snapshot());
  }

  @Override
  public Postings allPostings() {
    return new ListPostings(all.snapshot());
  }
}
