package io.meridian.remote;

import io.meridian.model.Matcher;
import io.meridian.storage.ChunkQuerier;
import io.meridian.storage.ChunkSeriesSet;
import io.meridian.storage.LabelHints;
import io.meridian.storage.Querier;
import io.meridian.storage.SelectHints;
import io.meridian.storage.SeriesSet;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * A querier over one remote read endpoint, at sample or chunk level (both views of the same
 * answer). A select sends its request at once; the set waits for the answer at its first {@code
 * next()} (bounded by the client's timeout), where a failed read surfaces as an {@link
 * UncheckedIOException} whose cause is a {@link RemoteReadException}. Closing cancels reads not yet
 * answered.
 */
final class RemoteQuerier implements Querier, ChunkQuerier {
  private final RemoteQueryable store;
  private final long mint;
  private final long maxt;
  private final boolean noop;
  private final List<CompletableFuture<List<RemoteSeries>>> pending = new ArrayList<>();

  RemoteQuerier(RemoteQueryable store, long mint, long maxt, boolean noop) {
    this.store = store;
    this.mint = mint;
    this.maxt = maxt;
    this.noop = noop;
  }

  @Override
  public Answer select(boolean sorted, SelectHints hints, List<Matcher> matchers) {
    if (noop) {
      return new Answer(null);
    }
    CompletableFuture<List<RemoteSeries>> f = store.select(mint, maxt, hints, matchers);
    if (f != null) {
      pending.add(f);
    }
    return new Answer(f);
  }

  @Override
  public List<String> labelValues(String name, LabelHints hints, List<Matcher> matchers) {
    return List.of();
  }

  @Override
  public List<String> labelNames(LabelHints hints, List<Matcher> matchers) {
    return List.of();
  }

  @Override
  public void close() {
    pending.forEach(f -> f.cancel(true));
    pending.clear();
  }

  /** The series of one select, sorted by labels; both a series set and a chunk series set. */
  static final class Answer implements SeriesSet, ChunkSeriesSet {
    private final CompletableFuture<List<RemoteSeries>> future;
    private List<RemoteSeries> series;
    private int i = -1;

    Answer(CompletableFuture<List<RemoteSeries>> future) {
      this.future = future;
    }

    @Override
    public boolean next() {
      if (series == null) {
        series = future == null ? List.of() : await(future);
      }
      if (i < series.size()) {
        i++;
      }
      return i < series.size();
    }

    @Override
    public RemoteSeries at() {
      if (series == null || i < 0 || i >= series.size()) {
        throw new NoSuchElementException("at() without a successful next()");
      }
      return series.get(i);
    }

    @Override
    public List<String> warnings() {
      return List.of();
    }

    private static List<RemoteSeries> await(CompletableFuture<List<RemoteSeries>> f) {
      try {
        return f.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        f.cancel(true);
        throw new UncheckedIOException(new InterruptedIOException("remote read interrupted"));
      } catch (CancellationException e) {
        throw new UncheckedIOException(new RemoteReadException("remote read cancelled", e));
      } catch (ExecutionException e) {
        Throwable c = e.getCause();
        throw new UncheckedIOException(
            c instanceof IOException io ? io : new RemoteReadException(String.valueOf(c), c));
      }
    }
  }
}
