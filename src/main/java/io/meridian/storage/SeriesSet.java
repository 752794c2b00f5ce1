package io.meridian.storage;

import java.util.List;

/**
 * A forward-only cursor over series: {@code while (set.next()) use(set.at());}.
 *
 * <p>Data that cannot be read surfaces as an {@link java.io.UncheckedIOException} from {@code
 * next()} or from a series' iterator; its cause is a {@link CorruptDataException} when the bytes
 * were read but do not check out. Warnings are problems that did not stop the answer, such as a
 * remote store that did not reply, and are complete once {@code next()} has returned false.
 */
public interface SeriesSet {

  /** Moves to the next series; false when there are no more. */
  boolean next();

  /** The current series; valid until the next call to {@link #next()}. */
  Series at();

  /** Warnings gathered so far. */
  List<String> warnings();

  /** The set with no series. */
  static SeriesSet empty() {
    return new ListSeriesSet(List.of());
  }

  /** A set over series already in memory, in the given order. */
  static SeriesSet of(List<? extends Series> series) {
    return new ListSeriesSet(series);
  }
}
