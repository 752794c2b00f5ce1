package io.meridian.promql;

import io.meridian.storage.Queryable;
import io.meridian.util.Clock;

/** Evaluates PromQL queries over a {@link Queryable}. Thread-safe. */
public final class Engine {
  private final EngineOptions options;
  private final Clock clock;

  public Engine(EngineOptions options, Clock clock) {
    this.options = options;
    this.clock = clock;
  }

  public EngineOptions options() {
    return options;
  }

  /**
   * Evaluates {@code query} at {@code time} (milliseconds).
   *
   * @throws io.meridian.promql.parser.ParseException if the query does not parse
   * @throws PromqlException if evaluation fails
   */
  public QueryResult instantQuery(Queryable storage, String query, long time) {
    return rangeQuery(storage, query, time, time, 0);
  }

  /**
   * Evaluates {@code query} at every step from {@code start} to {@code end} (milliseconds). An
   * instant query is a range query with start == end and step 0, except that its result is a
   * vector, scalar, string or (for a range selector) a matrix rather than always a matrix.
   */
  @SuppressWarnings("DoNotCallSuggester") // until it is written, this session
  public QueryResult rangeQuery(Queryable storage, String query, long start, long end, long step) {
    throw new PromqlException(PromqlException.Kind.EXECUTION, "not written yet " + clock);
  }
}
