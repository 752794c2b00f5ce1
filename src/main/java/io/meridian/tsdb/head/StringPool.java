package io.meridian.tsdb.head;

import io.meridian.model.Labels;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One copy of each label name and value the head holds: series of one job share their names and
 * most of their values, so a new series costs references, not strings. Rebuilt from the live series
 * at each head truncation, so strings of churned series do not pile up.
 */
final class StringPool {
  private volatile ConcurrentHashMap<String, String> pool = new ConcurrentHashMap<>();

  /** The labels with every string replaced by its pooled copy. */
  Labels intern(Labels labels) {
    ConcurrentHashMap<String, String> p = pool;
    String[] pairs = new String[labels.size() * 2];
    for (int i = 0; i < labels.size(); i++) {
      pairs[2 * i] = intern(p, labels.name(i));
      pairs[2 * i + 1] = intern(p, labels.value(i));
    }
    return Labels.ofSorted(pairs);
  }

  private static String intern(ConcurrentHashMap<String, String> p, String s) {
    String have = p.putIfAbsent(s, s);
    return have == null ? s : have;
  }

  /** Starts a new pool holding just the strings of {@code live}. */
  void rebuild(Iterable<MemSeries> live) {
    ConcurrentHashMap<String, String> fresh = new ConcurrentHashMap<>();
    for (MemSeries s : live) {
      Labels l = s.labels;
      for (int i = 0; i < l.size(); i++) {
        fresh.putIfAbsent(l.name(i), l.name(i));
        fresh.putIfAbsent(l.value(i), l.value(i));
      }
    }
    pool = fresh;
  }
}
