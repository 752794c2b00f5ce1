package io.meridian.remote;

import io.meridian.model.Matcher;
import io.meridian.storage.ChunkQuerier;
import io.meridian.storage.ChunkSeries;
import io.meridian.storage.ChunkSeriesSet;
import io.meridian.storage.LabelHints;
import io.meridian.storage.Querier;
import io.meridian.storage.SelectHints;
import io.meridian.storage.Series;
import io.meridian.storage.SeriesSet;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * A querier whose failures are warnings, as Prometheus's fanout treats its secondary (remote)
 * stores: a select that fails ends its set early with the reason among the set's warnings, and a
 * label query that fails answers nothing. The primary (local) store's errors still fail the query.
 */
final class Secondary {
  private Secondary() {}

  static Querier of(Querier q) {
    return new Querier() {
      @Override
      public SeriesSet select(boolean sorted, SelectHints hints, List<Matcher> matchers) {
        Guard g = new Guard();
        SeriesSet set = g.call(() -> q.select(sorted, hints, matchers));
        return new SeriesSet() {
          @Override
          public boolean next() {
            return set != null && g.next(set::next);
          }

          @Override
          public Series at() {
            return set.at();
          }

          @Override
          public List<String> warnings() {
            return g.warnings(set == null ? List.of() : set.warnings());
          }
        };
      }

      @Override
      public List<String> labelValues(String name, LabelHints hints, List<Matcher> matchers) {
        List<String> v = new Guard().call(() -> q.labelValues(name, hints, matchers));
        return v == null ? List.of() : v;
      }

      @Override
      public List<String> labelNames(LabelHints hints, List<Matcher> matchers) {
        List<String> v = new Guard().call(() -> q.labelNames(hints, matchers));
        return v == null ? List.of() : v;
      }

      @Override
      public void close() {
        q.close();
      }
    };
  }

  static ChunkQuerier of(ChunkQuerier q) {
    return new ChunkQuerier() {
      @Override
      public ChunkSeriesSet select(boolean sorted, SelectHints hints, List<Matcher> matchers) {
        Guard g = new Guard();
        ChunkSeriesSet set = g.call(() -> q.select(sorted, hints, matchers));
        return new ChunkSeriesSet() {
          @Override
          public boolean next() {
            return set != null && g.next(set::next);
          }

          @Override
          public ChunkSeries at() {
            return set.at();
          }

          @Override
          public List<String> warnings() {
            return g.warnings(set == null ? List.of() : set.warnings());
          }
        };
      }

      @Override
      public List<String> labelValues(String name, LabelHints hints, List<Matcher> matchers) {
        List<String> v = new Guard().call(() -> q.labelValues(name, hints, matchers));
        return v == null ? List.of() : v;
      }

      @Override
      public List<String> labelNames(LabelHints hints, List<Matcher> matchers) {
        List<String> v = new Guard().call(() -> q.labelNames(hints, matchers));
        return v == null ? List.of() : v;
      }

      @Override
      public void close() {
        q.close();
      }
    };
  }

  /** Turns a runtime failure into a warning and ends the set. */
  private static final class Guard {
    private String failure;

    <R> R call(Supplier<R> s) {
      try {
        return s.get();
      } catch (RuntimeException e) {
        failure = reason(e);
        return null;
      }
    }

    boolean next(java.util.function.BooleanSupplier next) {
      if (failure != null) {
        return false;
      }
      try {
        return next.getAsBoolean();
      } catch (RuntimeException e) {
        failure = reason(e);
        return false;
      }
    }

    List<String> warnings(List<String> inner) {
      if (failure == null) {
        return inner;
      }
      List<String> all = new ArrayList<>(inner);
      all.add(failure);
      return all;
    }

    private static String reason(RuntimeException e) {
      return e instanceof UncheckedIOException u && u.getCause() != null
          ? u.getCause().getMessage()
          : String.valueOf(e.getMessage());
    }
  }
}
