package io.meridian.relabel;

import io.meridian.model.Labels;
import java.util.Arrays;

/**
 * A label set being relabelled: the immutable input plus the edits so far, kept the way
 * Prometheus's {@code labels.Builder} keeps them, because {@code labelmap} depends on its order.
 *
 * <p>Reads look at the labels set so far, then the deleted names, then the input. {@link
 * #snapshot()} lists labels as Prometheus's {@code Builder.Range} visits them: input labels that
 * were neither set nor deleted, in sorted order, then set labels in the order they were first set.
 * Nothing is allocated until the first edit. Not thread-safe; one per {@link Relabeler#process}
 * call.
 */
final class EditedLabels {
  private static final String[] NONE = new String[0];

  private final Labels base;
  private String[] added = NONE; // name, value, name, value, ... in the order first set
  private int addedCount;
  private String[] deleted = NONE;
  private int deletedCount;

  EditedLabels(Labels base) {
    this.base = base;
  }

  /** The current value of {@code name}, or null when it has none. */
  String get(String name) {
    int i = addedIndex(name);
    if (i >= 0) {
      return added[2 * i + 1];
    }
    return deletedIndex(name) >= 0 ? null : base.get(name);
  }

  /**
   * Sets {@code name} to {@code value}, or deletes it when the value is empty. A set that changes
   * nothing is still recorded when {@code recordNoOp}, since it moves the label to the end of the
   * {@link #snapshot()} order, as in Prometheus; callers pass false when no later {@code labelmap}
   * can observe that order.
   */
  void set(String name, String value, boolean recordNoOp) {
    if (value.isEmpty()) {
      delete(name);
      return;
    }
    int i = addedIndex(name);
    if (i >= 0) {
      added[2 * i + 1] = value;
      return;
    }
    if (!recordNoOp && value.equals(get(name))) {
      return;
    }
    if (2 * addedCount + 2 > added.length) {
      added = Arrays.copyOf(added, Math.max(8, added.length * 2));
    }
    added[2 * addedCount] = name;
    added[2 * addedCount + 1] = value;
    addedCount++;
  }

  /** Deletes {@code name}; deleting a label that is not there changes nothing. */
  void delete(String name) {
    int i = addedIndex(name);
    if (i >= 0) {
      System.arraycopy(added, 2 * i + 2, added, 2 * i, 2 * (addedCount - i - 1));
      addedCount--;
      added[2 * addedCount] = null;
      added[2 * addedCount + 1] = null;
    }
    if (deletedIndex(name) >= 0 || !base.has(name)) {
      return; // the input lacks it or it is already deleted: recording it again changes nothing
    }
    if (deletedCount == deleted.length) {
      deleted = Arrays.copyOf(deleted, Math.max(4, deleted.length * 2));
    }
    deleted[deletedCount++] = name;
  }

  /** Whether anything was set or deleted (possibly back to the input's values). */
  boolean edited() {
    return addedCount > 0 || deletedCount > 0;
  }

  /** The input labels. */
  Labels base() {
    return base;
  }

  /**
   * A copy of the current labels as pairs (name, value, ...), in Prometheus's {@code Range} order;
   * only needed once {@link #edited()}, as until then {@link #base()} is that list.
   */
  String[] snapshot() {
    String[] out = new String[2 * (base.size() + addedCount)];
    int n = 0;
    for (int i = 0; i < base.size(); i++) {
      String name = base.name(i);
      if (addedIndex(name) < 0 && deletedIndex(name) < 0) {
        out[n++] = name;
        out[n++] = base.value(i);
      }
    }
    System.arraycopy(added, 0, out, n, 2 * addedCount);
    n += 2 * addedCount;
    return n == out.length ? out : Arrays.copyOf(out, n);
  }

  /** The labels now: the input itself when the edits add up to no change. */
  Labels labels() {
    if (!edited() || !differsFromBase()) {
      return base;
    }
    return Labels.of(snapshot());
  }

  private boolean differsFromBase() {
    for (int i = 0; i < addedCount; i++) {
      if (!added[2 * i + 1].equals(base.get(added[2 * i]))) {
        return true;
      }
    }
    for (int i = 0; i < deletedCount; i++) {
      if (addedIndex(deleted[i]) < 0) {
        return true; // only input labels are recorded as deleted
      }
    }
    return false;
  }

  private int addedIndex(String name) {
    for (int i = 0; i < addedCount; i++) {
      if (added[2 * i].equals(name)) {
        return i;
      }
    }
    return -1;
  }

  private int deletedIndex(String name) {
    for (int i = 0; i < deletedCount; i++) {
      if (deleted[i].equals(name)) {
        return i;
      }
    }
    return -1;
  }
}
