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
   * A sorted, growable list of refs, kept as varint gaps: refs are handed out one after another, so
   * the gap between two series sharing a label pair is mostly a byte or two, where a long took
   * eight (the postings were a tenth of a scraping server's heap). Reading decodes them into an
   * array, a few hundred microseconds for the largest list of a 100k-series head. Most label values
   * of a large head belong to one series (pod names, instances): they need no array at all.
   */
  private static final class RefList {
    private long first;
    private long last;
    private byte[] gaps; // after the first: each ref minus the one before it, as uvarints
    private int gapBytes;
    private int size;

    synchronized void add(long ref) {
      if (size == 0) {
        first = ref;
        last = ref;
        size = 1;
        return;
      }
      if (ref > last) { // the usual case: refs are handed out in increasing order
        appendGap(ref - last);
        last = ref;
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
      store(all, size + 1);
    }

    private void appendGap(long gap) {
      int need = gapBytes + (70 - Long.numberOfLeadingZeros(gap | 1)) / 7;
      if (gaps == null) {
        gaps = new byte[Math.max(4, need)];
      } else if (need > gaps.length) {
        gaps = Arrays.copyOf(gaps, Math.max(need, gaps.length + (gaps.length >> 1)));
      }
      while (gap >= 0x80) {
        gaps[gapBytes++] = (byte) (gap | 0x80);
        gap >>>= 7;
      }
      gaps[gapBytes++] = (byte) gap;
    }

    /** The refs in a fresh array with room for {@code capacity}. */
    private long[] toArray(int capacity) {
      long[] all = new long[capacity];
      if (size == 0) {
        return all;
      }
      long ref = first;
      all[0] = ref;
      int p = 0;
      for (int i = 1; i < size; i++) {
        long gap = 0;
        int shift = 0;
        byte b;
        do {
          b = gaps[p++];
          gap |= (long) (b & 0x7f) << shift;
          shift += 7;
        } while (b < 0);
        ref += gap;
        all[i] = ref;
      }
      return all;
    }

    /** Replaces the list with the first {@code n} refs of {@code all}, ascending. */
    private void store(long[] all, int n) {
      size = n;
      gapBytes = 0;
      gaps = null;
      first = n > 0 ? all[0] : 0;
      last = n > 0 ? all[n - 1] : 0;
      for (int i = 1; i < n; i++) {
        appendGap(all[i] - all[i - 1]);
      }
      if (gaps != null && gaps.length > gapBytes + (gapBytes >> 2) + 10) {
        gaps = Arrays.copyOf(gaps, gapBytes);
      }
    }

    synchronized int removeAll(java.util.function.LongPredicate drop) {
      long[] all = toArray(size);
      int keep = 0;
      for (int i = 0; i < size; i++) {
        if (!drop.test(all[i])) {
          all[keep++] = all[i];
        }
      }
      if (keep != size) {
        store(all, keep);
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
