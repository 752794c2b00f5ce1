package io.meridian.tsdb.head;

import io.meridian.model.Labels;
import java.util.Arrays;

/** Series an appender created, in creation order. Reused across batches; not thread-safe. */
public final class PendingSeries {
  private long[] refs = new long[8];
  private Labels[] labels = new Labels[8];
  private int size;

  void add(long ref, Labels l) {
    if (size == refs.length) {
      refs = Arrays.copyOf(refs, size * 2);
      labels = Arrays.copyOf(labels, size * 2);
    }
    refs[size] = ref;
    labels[size] = l;
    size++;
  }

  void clear() {
    Arrays.fill(labels, 0, size, null);
    size = 0;
  }

  public int size() {
    return size;
  }

  public long ref(int i) {
    return refs[i];
  }

  public Labels labels(int i) {
    return labels[i];
  }
}
