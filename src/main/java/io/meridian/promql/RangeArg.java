package io.meridian.promql;

import io.meridian.model.Labels;
import java.util.Arrays;
import java.util.List;

/**
 * A range vector argument: series with their samples, and per evaluation step the reference time
 * whose window {@code (ref - range, ref]} the step reads.
 */
final class RangeArg {
  final List<Series> series;
  final long[] refs;
  final long range;

  RangeArg(List<Series> series, long[] refs, long range) {
    this.series = series;
    this.refs = refs;
    this.range = range;
  }

  /** One series' samples in time order (copied out of the reader's buffer). */
  static final class Series {
    final Labels labels;
    final long[] ts;
    final double[] vs;
    final int n;
    final boolean dropName;

    Series(Labels labels, long[] ts, double[] vs, int n, boolean dropName) {
      this.labels = labels;
      this.ts = Arrays.copyOf(ts, n);
      this.vs = Arrays.copyOf(vs, n);
      this.n = n;
      this.dropName = dropName;
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
