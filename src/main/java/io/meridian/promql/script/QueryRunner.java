package io.meridian.promql.script;

import io.meridian.promql.Engine;
import io.meridian.promql.PromqlException;
import io.meridian.promql.QueryResult;
import io.meridian.promql.parser.ParseException;
import io.meridian.storage.Queryable;

/**
 * Runs the queries of a script; the seam between the runner and the engine. A query that fails
 * throws {@link ParseException} or {@link PromqlException}, whose message is what {@code expect
 * fail msg:} compares; anything else thrown is a bug and fails the eval whatever it expects.
 */
public interface QueryRunner {

  /** Evaluates {@code query} at {@code time} (milliseconds). */
  QueryResult instant(Queryable storage, String query, long time);

  /** Evaluates {@code query} at each step from {@code start} to {@code end} (milliseconds). */
  QueryResult range(Queryable storage, String query, long start, long end, long step);

  /** Runs queries on {@code engine}. */
  static QueryRunner of(Engine engine) {
    return new QueryRunner() {
      @Override
      public QueryResult instant(Queryable storage, String query, long time) {
        return engine.instantQuery(storage, query, time);
      }

      @Override
      public QueryResult range(Queryable storage, String query, long start, long end, long step) {
        return engine.rangeQuery(storage, query, start, end, step);
      }
    };
  }
}
