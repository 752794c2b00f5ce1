package io.meridian.storage;

import java.util.List;
import java.util.NoSuchElementException;

/** A series set over a list. */
final class ListSeriesSet implements SeriesSet {
  private final List<? extends Series> series;
  private int i = -1;

  ListSeriesSet(List<? extends Series> series) {
    this.series = series;
  }

  @Override
  public boolean next() {
    if (i < series.size()) {
      i++;
    }
    return i < series.size();
  }

  @Override
  public Series at() {
    if (i < 0 || i >= series.size()) {
      throw new NoSuchElementException("at() without a successful next()");
    }
    return series.get(i);
  }

  @Override
  public List<String> warnings() {
    return List.of();
  }
}
