package io.meridian.promql;

import io.meridian.storage.Querier;
import io.meridian.storage.Queryable;
import io.meridian.util.Clock;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What one query's evaluation shares across its nodes: the storage and the queriers it opened, the
 * limits (samples held, deadline), and the annotations collected.
 */
final class QueryContext implements AutoCloseable {
  final Queryable storage;
  final EngineOptions options;
  final String query;
  final long queryStart;
  final long queryEnd;

  /** The query's step, 0 for an instant query. */
  final long queryStep;

  final boolean instant;
  private final Clock clock;
  private final long deadlineNanos;
  private final List<Querier> queriers = new ArrayList<>();
  final Set<String> warnings = new LinkedHashSet<>();
  final Set<String> infos = new LinkedHashSet<>();
  private long samples;

  QueryContext(
      Queryable storage,
      EngineOptions options,
      String query,
      long queryStart,
      long queryEnd,
      long queryStep,
      boolean instant,
      Clock clock) {
    this.storage = storage;
    this.options = options;
    this.query = query;
    this.queryStart = queryStart;
    this.queryEnd = queryEnd;
    this.queryStep = queryStep;
    this.instant = instant;
    this.clock = clock;
    this.deadlineNanos = clock.nanos() + options.timeout().toNanos();
  }

  /** A querier over {@code [mint, maxt]}, closed with the query. */
  Querier querier(long mint, long maxt) throws IOException {
    Querier q = storage.querier(mint, Math.max(mint, maxt));
    queriers.add(q);
    return q;
  }

  void checkDeadline() {
    if (clock.nanos() - deadlineNanos > 0) {
      throw new PromqlException(
          PromqlException.Kind.TIMEOUT, "query timed out in expression evaluation");
    }
  }

  /** Counts samples loaded; too many fails the query as Prometheus does. */
  void addSamples(long n) {
    samples += n;
    if (samples > options.maxSamples()) {
      throw new PromqlException(
          PromqlException.Kind.EXECUTION,
          "query processing would load too many samples into memory in query execution");
    }
  }

  /** Gives back samples a finished step of work no longer holds. */
  void releaseSamples(long n) {
    samples = Math.max(0, samples - n);
  }

  /** An annotation as the API renders it, with the position of the expression it is about. */
  void warn(String message, int pos) {
    warnings.add("PromQL warning: " + message + position(pos));
  }

  void info(String message, int pos) {
    infos.add("PromQL info: " + message + position(pos));
  }

  private String position(int pos) {
    return pos < 0 ? "" : " (" + io.meridian.promql.parser.Positions.lineColumn(query, pos) + ")";
  }

  @Override
  public void close() {
    for (Querier q : queriers) {
      try {
        q.close();
      } catch (Exception e) {
        // Closing a querier releases readers; a failure there cannot change the result.
      }
    }
  }
}
