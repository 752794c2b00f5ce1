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

  /**
   * A sorted, growable list of refs. Most label values of a large head belong to one series (pod
   * names, instances), so the first ref lives in a field and the array comes with the second.
   */
  private static final class RefList {
    private long first;
    private long[] more; // refs after the first, when there are any
    private int size;

    synchronized void add(long ref) {
      if (size == 0) {
        first = ref;
        size = 1;
        return;
      }
      int rest = size - 1;
      long last = rest == 0 ? first : more[rest - 1];
      if (ref > last) { // the usual case: refs are handed out in increasing order
        if (more == null) {
          more = new long[2];
        } else if (rest == more.length) {
          more = Arrays.copyOf(more, rest + (rest >> 1) + 1);
        }
        more[rest] = ref;
        size++;
        return;
      }
      // Refs of concurrently created series may arrive slightly out of order.
      long[] all = toArray(size + 1);
      int i = size;
      while (i > 0 && all[i - 1] > ref) {
        all[i] = all[i - 1];
        i--;
      }
      all[i] = ref;
      size++;
      store(all);
    }

    /** The refs in a fresh array with room for {@code capacity}. */
    private long[] toArray(int capacity) {
      long[] all = new long[capacity];
      if (size > 0) {
        all[0] = first;
        if (size > 1) {
          System.arraycopy(more, 0, all, 1, size - 1);
        }
      }
      return all;
    }

    private void store(long[] all) {
      first = all[0];
      int rest = size - 1;
      if (rest == 0) {
        more = null;
        return;
      }
      if (more == null || more.length < rest) {
        more = new long[Math.max(2, rest + (rest >> 1))];
      }
      System.arraycopy(all, 1, more, 0, rest);
    }

    synchronized int removeAll(java.util.function.LongPredicate drop) {
      long[] all = toArray(size);
      int keep = 0;
      for (int i = 0; i < size; i++) {
        if (!drop.test(all[i])) {
          all[keep++] = all[i];
        }
      }
      size = keep;
      if (keep > 0) {
        store(all);
      } else {
        more = null;
      }
      return size;
    }

    synchronized long[] snapshot() {
      return toArray(size);
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
