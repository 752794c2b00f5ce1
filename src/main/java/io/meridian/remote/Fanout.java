package io.meridian.remote;

import io.meridian.storage.ChunkQuerier;
import io.meridian.storage.ChunkQueryable;
import io.meridian.storage.MergeQuerier;
import io.meridian.storage.Querier;
import io.meridian.storage.Queryable;
import io.meridian.tsdb.block.MergeChunkQuerier;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The local storage and every {@code remote_read} endpoint as one store, as Prometheus's fanout
 * storage reads: series merged by labels (the local sample wins a timestamp both have), a remote's
 * failure a warning of the answer rather than an error (see {@link Secondary}). The sources can be
 * replaced (config reload); a querier keeps the ones it was opened with. Thread-safe.
 */
public final class Fanout implements Queryable, ChunkQueryable {
  private final Queryable local;
  private final ChunkQueryable localChunks;
  private volatile List<RemoteQueryable> remotes;

  /** The local store (a TSDB) read first, then {@code remotes}. */
  public <S extends Queryable & ChunkQueryable> Fanout(S local, List<RemoteQueryable> remotes) {
    this.local = local;
    this.localChunks = local;
    this.remotes = List.copyOf(remotes);
  }

  /**
   * Puts {@code next} in place of the remote sources; returns the old ones for the caller to close.
   */
  public List<RemoteQueryable> replace(List<RemoteQueryable> next) {
    List<RemoteQueryable> old = remotes;
    remotes = List.copyOf(next);
    return old;
  }

  /** The remote sources now in use. */
  public List<RemoteQueryable> remotes() {
    return remotes;
  }

  @Override
  public Querier querier(long mint, long maxt) throws IOException {
    List<RemoteQueryable> rs = remotes;
    Querier primary = local.querier(mint, maxt);
    if (rs.isEmpty()) {
      return primary;
    }
    List<Querier> all = new ArrayList<>(rs.size() + 1);
    all.add(primary);
    for (RemoteQueryable r : rs) {
      all.add(Secondary.of(r.querier(mint, maxt)));
    }
    return MergeQuerier.of(all);
  }

  @Override
  public ChunkQuerier chunkQuerier(long mint, long maxt) throws IOException {
    List<RemoteQueryable> rs = remotes;
    ChunkQuerier primary = localChunks.chunkQuerier(mint, maxt);
    if (rs.isEmpty()) {
      return primary;
    }
    List<ChunkQuerier> all = new ArrayList<>(rs.size() + 1);
    all.add(primary);
    for (RemoteQueryable r : rs) {
      all.add(Secondary.of(r.chunkQuerier(mint, maxt)));
    }
    return new MergeChunkQuerier(all);
  }
}
