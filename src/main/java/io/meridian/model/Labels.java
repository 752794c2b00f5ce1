package io.meridian.model;

import io.meridian.util.GoFormat;
import io.meridian.util.Utf8Order;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * An immutable set of labels, sorted by name: the identity of a series.
 *
 * <p>Names are sorted in UTF-8 byte order (Prometheus's order, see {@link Utf8Order}) and unique. A
 * label with an empty value is the same as no label, as in Prometheus, so factories drop it. The
 * 64-bit {@link #hash()} is computed once at construction from the strings' own cached hash codes,
 * so hashing and inequality checks are cheap; {@link #compareTo} is Prometheus's {@code
 * labels.Compare}.
 */
public final class Labels implements Comparable<Labels> {
  /** The label that holds the metric name. */
  public static final String METRIC_NAME = "__name__";

  /** The set with no labels. */
  public static final Labels EMPTY = new Labels(new String[0]);

  /** name0, value0, name1, value1, ... with names strictly ascending. */
  private final String[] pairs;

  private final long hash;

  private Labels(String[] pairs) {
    this.pairs = pairs;
    this.hash = hashOf(pairs);
  }

  /**
   * Builds labels from alternating names and values, in any order, validating names as UTF-8.
   *
   * @throws IllegalArgumentException if the count is odd, a name or value is null, a name is
   *     invalid, or a name appears twice; the message names the offending label
   */
  public static Labels of(String... namesAndValues) {
    if (namesAndValues.length % 2 != 0) {
      throw new IllegalArgumentException(
          "labels need name/value pairs, got an odd count " + namesAndValues.length);
    }
    Builder b = new Builder(namesAndValues.length / 2);
    for (int i = 0; i < namesAndValues.length; i += 2) {
      b.add(namesAndValues[i], namesAndValues[i + 1]);
    }
    return b.build();
  }

  /** Builds labels from a map, validating names as UTF-8. */
  public static Labels of(Map<String, String> map) {
    Builder b = new Builder(map.size());
    map.forEach(b::add);
    return b.build();
  }

  /**
   * Wraps pairs that the caller already holds sorted (an index or WAL record, say), checking order
   * and uniqueness in one pass instead of sorting. The array is copied.
   *
   * @throws IllegalArgumentException if the pairs are not strictly ascending by name, or have an
   *     empty name or value
   */
  public static Labels ofSorted(String[] namesAndValues) {
    if (namesAndValues.length % 2 != 0) {
      throw new IllegalArgumentException(
          "labels need name/value pairs, got an odd count " + namesAndValues.length);
    }
    String[] p = namesAndValues.clone();
    for (int i = 0; i < p.length; i += 2) {
      if (p[i].isEmpty() || p[i + 1].isEmpty()) {
        throw new IllegalArgumentException("empty label name or value at pair " + i / 2);
      }
      if (i > 0 && Utf8Order.compare(p[i - 2], p[i]) >= 0) {
        throw new IllegalArgumentException(
            "label names not strictly ascending: " + quote(p[i - 2]) + " before " + quote(p[i]));
      }
    }
    return new Labels(p);
  }

  /** A builder validating names as UTF-8. */
  public static Builder builder() {
    return new Builder(8);
  }

  /** A builder starting from these labels. */
  public Builder toBuilder() {
    Builder b = new Builder(size() + 2);
    forEach(b::add);
    return b;
  }

  /** Number of labels. */
  public int size() {
    return pairs.length / 2;
  }

  /** Whether there are no labels. */
  public boolean isEmpty() {
    return pairs.length == 0;
  }

  /** The name of the {@code i}-th label in sorted order. */
  public String name(int i) {
    return pairs[2 * i];
  }

  /** The value of the {@code i}-th label in sorted order. */
  public String value(int i) {
    return pairs[2 * i + 1];
  }

  /** The value of label {@code name}, or null when there is none. */
  public String get(String name) {
    int lo = 0;
    int hi = size() - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      int c = Utf8Order.compare(pairs[2 * mid], name);
      if (c < 0) {
        lo = mid + 1;
      } else if (c > 0) {
        hi = mid - 1;
      } else {
        return pairs[2 * mid + 1];
      }
    }
    return null;
  }

  /** Whether a label {@code name} is present. */
  public boolean has(String name) {
    return get(name) != null;
  }

  /** The metric name ({@code __name__}), or null when there is none. */
  public String metricName() {
    return get(METRIC_NAME);
  }

  /** These labels without {@code __name__}, as PromQL functions and operators return them. */
  public Labels withoutMetricName() {
    return has(METRIC_NAME) ? toBuilder().del(METRIC_NAME).build() : this;
  }

  /** Calls {@code action} with each name and value in sorted order. */
  public void forEach(BiConsumer<String, String> action) {
    for (int i = 0; i < pairs.length; i += 2) {
      action.accept(pairs[i], pairs[i + 1]);
    }
  }

  /** A new map of the labels, in sorted order. */
  public Map<String, String> toMap() {
    Map<String, String> m = LinkedHashMap.newLinkedHashMap(size());
    forEach(m::put);
    return m;
  }

  /**
   * A 64-bit hash of names and values. Stable within one process only (it builds on {@link
   * String#hashCode()}); never persist it or send it to another process.
   */
  public long hash() {
    return hash;
  }

  @Override
  public int hashCode() {
    return (int) (hash ^ (hash >>> 32));
  }

  @Override
  public boolean equals(Object o) {
    return this == o
        || (o instanceof Labels other && hash == other.hash && Arrays.equals(pairs, other.pairs));
  }

  /**
   * Prometheus's order: label by label, name first then value, in UTF-8 byte order; a set that is a
   * prefix of another sorts first.
   */
  @Override
  public int compareTo(Labels o) {
    int n = Math.min(pairs.length, o.pairs.length);
    for (int i = 0; i < n; i++) {
      String a = pairs[i];
      String b = o.pairs[i];
      if (!a.equals(b)) {
        return Utf8Order.compare(a, b);
      }
    }
    return pairs.length - o.pairs.length;
  }

  /** Prometheus's form: {@code {__name__="up", job="node"}}; names that need it are quoted. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(16 * size() + 2).append('{');
    for (int i = 0; i < pairs.length; i += 2) {
      if (i > 0) {
        sb.append(", ");
      }
      String name = pairs[i];
      sb.append(NameValidation.isLegacyLabelName(name) ? name : quote(name));
      sb.append('=').append(quote(pairs[i + 1]));
    }
    return sb.append('}').toString();
  }

  /** Quotes a string with Go's escapes, as Prometheus prints label values. */
  static String quote(String s) {
    return GoFormat.quote(s);
  }

  private static long hashOf(String[] pairs) {
    long h = 0x9E3779B97F4A7C15L * (pairs.length + 1);
    for (String s : pairs) {
      h = Long.rotateLeft(h ^ (s.hashCode() & 0xffffffffL), 29) * 0xBF58476D1CE4E5B9L;
    }
    h ^= h >>> 31;
    h *= 0x94D049BB133111EBL;
    return h ^ (h >>> 29);
  }

  /**
   * Collects labels, then sorts and validates them once in {@link #build()}. Setting a name again
   * replaces its value; an empty value deletes the label. Not thread-safe.
   */
  public static final class Builder {
    private String[] pairs;
    private int n; // number of labels held
    private NameValidation validation = NameValidation.UTF8;

    private Builder(int capacity) {
      this.pairs = new String[Math.max(2, capacity * 2)];
    }

    /** Validates names with {@code rule} instead of {@link NameValidation#UTF8}. */
    public Builder validation(NameValidation rule) {
      this.validation = rule;
      return this;
    }

    /** Sets {@code name} to {@code value}, replacing any earlier value; empty deletes it. */
    public Builder set(String name, String value) {
      int i = indexOf(name);
      if (value == null || value.isEmpty()) {
        if (i >= 0) {
          removeAt(i);
        }
      } else if (i >= 0) {
        pairs[2 * i + 1] = value;
      } else {
        append(name, value);
      }
      return this;
    }

    /** Removes the named labels if present. */
    public Builder del(String... names) {
      for (String name : names) {
        int i = indexOf(name);
        if (i >= 0) {
          removeAt(i);
        }
      }
      return this;
    }

    /** The value currently set for {@code name}, or null. */
    public String get(String name) {
      int i = indexOf(name);
      return i < 0 ? null : pairs[2 * i + 1];
    }

    /** Adds without looking for an earlier value, so {@link #build()} reports duplicates. */
    private void add(String name, String value) {
      if (name == null || value == null) {
        throw new IllegalArgumentException("label name and value must not be null");
      }
      if (!value.isEmpty()) {
        append(name, value);
      }
    }

    private void append(String name, String value) {
      if (2 * n + 2 > pairs.length) {
        pairs = Arrays.copyOf(pairs, pairs.length * 2);
      }
      pairs[2 * n] = name;
      pairs[2 * n + 1] = value;
      n++;
    }

    private int indexOf(String name) {
      for (int i = 0; i < n; i++) {
        if (pairs[2 * i].equals(name)) {
          return i;
        }
      }
      return -1;
    }

    private void removeAt(int i) {
      System.arraycopy(pairs, 2 * i + 2, pairs, 2 * i, 2 * (n - i - 1));
      n--;
      pairs[2 * n] = null;
      pairs[2 * n + 1] = null;
    }

    /**
     * Sorts, validates and returns the labels.
     *
     * @throws IllegalArgumentException naming the first invalid or duplicated label name
     */
    public Labels build() {
      if (n == 0) {
        return EMPTY;
      }
      String[] out = Arrays.copyOf(pairs, 2 * n);
      // Insertion sort of pairs: label sets are small and often nearly sorted already.
      for (int i = 1; i < n; i++) {
        String name = out[2 * i];
        String value = out[2 * i + 1];
        int j = i - 1;
        while (j >= 0 && Utf8Order.compare(out[2 * j], name) > 0) {
          out[2 * j + 2] = out[2 * j];
          out[2 * j + 3] = out[2 * j + 1];
          j--;
        }
        out[2 * j + 2] = name;
        out[2 * j + 3] = value;
      }
      for (int i = 0; i < out.length; i += 2) {
        String error = validation.labelNameError(out[i]);
        if (error != null) {
          throw new IllegalArgumentException("invalid label: " + error);
        }
        if (i > 0 && out[i].equals(out[i - 2])) {
          throw new IllegalArgumentException("duplicate label name " + quote(out[i]));
        }
      }
      return new Labels(out);
    }
  }
}
