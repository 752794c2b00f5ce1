package io.meridian.promql;

import io.meridian.model.Labels;
import java.util.function.Consumer;

/**
 * A range vector argument: series with their samples, handed out one at a time so a query holds one
 * series' samples at once rather than all of them, and per evaluation step the reference time whose
 * window {@code (ref - range, ref]} the step reads.
 */
final class RangeArg {
  private final Consumer<Consumer<Series>> source;
  final long[] refs;
  final long range;

  RangeArg(Consumer<Consumer<Series>> source, long[] refs, long range) {
    this.source = source;
    this.refs = refs;
    this.range = range;
  }

  /** Hands each series to {@code c}; a series' arrays are valid only during its call. */
  void forEach(Consumer<Series> c) {
    source.accept(c);
  }

  /** One series' samples in time order: the first {@code n} entries of the arrays. */
  static final class Series {
    final Labels labels;
    final long[] ts;
    final double[] vs;
    final int n;
    final boolean dropName;

    /** resets[k]: how many of samples 1..k are below their predecessor; built when first asked. */
    private int[] resets;

    Series(Labels labels, long[] ts, double[] vs, int n, boolean dropName) {
      this.labels = labels;
      this.ts = ts;
      this.vs = vs;
      this.n = n;
      this.dropName = dropName;
    }

    /** Whether any sample in {@code (lo, hi)} is below its predecessor (a counter reset). */
    boolean hasResets(int lo, int hi) {
      if (resets == null) {
        resets = new int[n];
        for (int k = 1; k < n; k++) {
          resets[k] = resets[k - 1] + (vs[k] < vs[k - 1] ? 1 : 0);
        }
      }
      return resets[hi - 1] != resets[lo];
    }
  }

  /**
   * Walks the windows of one series step by step: {@link #lo}..{@link #hi} (exclusive) index the
   * samples in step {@code i}'s window after {@link #move}. Windows move forward with the steps.
   */
  static final class Window {
    int lo;
    int hi;

    void move(Series s, long ref, long range) {
      long from = ref - range;
      if (lo > 0 && s.ts[lo - 1] > from) {
        lo = 0; // the reference went backwards (a fixed @ time never does; be safe)
        hi = 0;
      }
      while (lo < s.n && s.ts[lo] <= from) {
        lo++;
      }
      if (hi < lo) {
        hi = lo;
      }
      if (hi > 0 && s.ts[hi - 1] > ref) {
        hi = lo;
      }
      while (hi < s.n && s.ts[hi] <= ref) {
        hi++;
      }
    }

    int size() {
      return hi - lo;
    }
  }
}
