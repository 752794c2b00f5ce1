package io.meridian.remote;

import io.meridian.config.RemoteReadConfig;
import io.meridian.model.Labels;
import io.meridian.model.MatchType;
import io.meridian.model.Matcher;
import io.meridian.storage.ChunkQuerier;
import io.meridian.storage.ChunkQueryable;
import io.meridian.storage.Querier;
import io.meridian.storage.Queryable;
import io.meridian.storage.SelectHints;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;

/**
 * One {@code remote_read} endpoint as a store, with Prometheus's rules (its {@code
 * storage/remote/read.go}):
 *
 * <ul>
 *   <li>{@code required_matchers}: a select is sent only when its matchers include every one of
 *       them as an equality matcher; otherwise it selects nothing.
 *   <li>{@code read_recent: false}: the local storage answers what it covers. A querier starting
 *       after the local start time (oldest block's start, or now, plus a margin) asks nothing; one
 *       reaching past it asks only up to it.
 *   <li>external labels (unless {@code filter_external_labels: false}): each one the selector has
 *       no matcher for is sent as an equality matcher, and taken off the series that come back.
 *   <li>label names and values are not asked of the remote, which the protocol cannot answer:
 *       Prometheus 2.42 answers them from the local storage only (with a "not implemented" warning
 *       that Meridian's label queries have no place for). The series API selects, so it sees remote
 *       series.
 * </ul>
 *
 * Selects are sent when made and awaited when their series are first read, so the stores of a merge
 * are asked at once.
 */
public final class RemoteQueryable implements Queryable, ChunkQueryable, AutoCloseable {
  private final ReadClient client;
  private final Labels externalLabels;
  private final List<Matcher> requiredMatchers;
  private final boolean readRecent;
  private final LongSupplier localStartTime;

  /**
   * @param externalLabels the server's external labels to select by, empty when the config filters
   *     none
   * @param localStartTime the time from which the local storage holds everything (read only when
   *     {@code readRecent} is false)
   */
  public RemoteQueryable(
      ReadClient client,
      Labels externalLabels,
      Labels requiredMatchers,
      boolean readRecent,
      LongSupplier localStartTime) {
    this.client = client;
    this.externalLabels = externalLabels;
    List<Matcher> req = new ArrayList<>();
    requiredMatchers.forEach((n, v) -> req.add(Matcher.equal(n, v)));
    this.requiredMatchers = List.copyOf(req);
    this.readRecent = readRecent;
    this.localStartTime = localStartTime;
  }

  /** The store for {@code cfg}, selecting by {@code external} labels where the config says so. */
  public static RemoteQueryable of(
      RemoteReadConfig cfg, ReadClient.Limits limits, Labels external, LongSupplier localStartTime)
      throws java.io.IOException {
    return new RemoteQueryable(
        ReadClient.of(cfg, limits),
        cfg.filterExternalLabels() ? external : Labels.EMPTY,
        cfg.requiredMatchers(),
        cfg.readRecent(),
        localStartTime);
  }

  @Override
  public Querier querier(long mint, long maxt) {
    return open(mint, maxt);
  }

  @Override
  public ChunkQuerier chunkQuerier(long mint, long maxt) {
    return open(mint, maxt);
  }

  private RemoteQuerier open(long mint, long maxt) {
    long end = maxt;
    if (!readRecent) {
      long local = localStartTime.getAsLong();
      if (mint > local) {
        return new RemoteQuerier(this, mint, maxt, true);
      }
      end = Math.min(maxt, local);
    }
    return new RemoteQuerier(this, mint, end, false);
  }

  /**
   * Sends a select, or returns null when the required matchers are not all there. The series come
   * back sorted, without the external labels that were added as matchers.
   */
  CompletableFuture<List<RemoteSeries>> select(
      long mint, long maxt, SelectHints hints, List<Matcher> matchers) {
    if (!hasRequired(matchers)) {
      return null;
    }
    Set<String> named = new HashSet<>();
    matchers.forEach(m -> named.add(m.name()));
    List<Matcher> sent = new ArrayList<>(matchers);
    List<String> added = new ArrayList<>();
    externalLabels.forEach((n, v) -> {
      if (!named.contains(n)) {
        sent.add(Matcher.equal(n, v));
        added.add(n);
      }
    });
    CompletableFuture<List<RemoteSeries>> read = client.read(mint, maxt, sent, hints);
    CompletableFuture<List<RemoteSeries>> out = read.thenApply(series -> strip(series, added));
    // A cancelled select stops its exchange.
    var _ = out.whenComplete((v, e) -> read.cancel(true));
    return out;
  }

  private boolean hasRequired(List<Matcher> matchers) {
    for (Matcher r : requiredMatchers) {
      boolean found = false;
      for (Matcher m : matchers) {
        if (m.type() == MatchType.EQUAL
            && m.name().equals(r.name())
            && m.value().equals(r.value())) {
          found = true;
          break;
        }
      }
      if (!found) {
        return false;
      }
    }
    return true;
  }

  private static List<RemoteSeries> strip(List<RemoteSeries> series, List<String> names) {
    List<RemoteSeries> out = new ArrayList<>(series.size());
    String[] drop = names.toArray(String[]::new);
    for (RemoteSeries s : series) {
      out.add(drop.length == 0 ? s : s.withLabels(s.labels().toBuilder().del(drop).build()));
    }
    out.sort((a, b) -> a.labels().compareTo(b.labels()));
    return out;
  }

  /** Stops the client: reads in flight finish, new ones fail. */
  @Override
  public void close() {
    client.close();
  }

  @Override
  public String toString() {
    return "remote_read " + client.url();
  }
}
