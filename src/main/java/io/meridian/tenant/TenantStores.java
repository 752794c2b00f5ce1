package io.meridian.tenant;

import io.meridian.tsdb.Tsdb;
import io.meridian.tsdb.TsdbOptions;
import io.meridian.util.Clock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One TSDB per tenant, each in its own directory under the root ({@code <root>/<tenant>}), so a
 * tenant's data is isolated on disk as in queries and can be moved or deleted alone. Tenants found
 * on disk are opened at start, so their data stays queryable across restarts; a new tenant's TSDB
 * is created on its first write.
 */
public final class TenantStores implements AutoCloseable {
  private final Path root;
  private final TsdbOptions options;
  private final Clock clock;
  private final Map<String, Tsdb> stores = new ConcurrentHashMap<>();

  public TenantStores(Path root, TsdbOptions options, Clock clock) throws IOException {
    this.root = root;
    this.options = options;
    this.clock = clock;
    Files.createDirectories(root);
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root, Files::isDirectory)) {
      for (Path d : dirs) {
        String id = d.getFileName().toString();
        if (TenantId.invalidReason(id) == null) {
          stores.put(id, Tsdb.open(d, options, clock));
        }
      }
    }
  }

  /**
   * The tenant's TSDB, opened (and created) on first use.
   *
   * @throws IllegalArgumentException for an invalid tenant ID
   * @throws IOException if its directory cannot be opened
   */
  public Tsdb get(String tenant) throws IOException {
    String invalid = TenantId.invalidReason(tenant);
    if (invalid != null) {
      throw new IllegalArgumentException(invalid);
    }
    try {
      return stores.computeIfAbsent(tenant, this::open);
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  /** The tenant's TSDB if it has one already (reads never create a tenant), else null. */
  public Tsdb find(String tenant) {
    return stores.get(tenant);
  }

  private Tsdb open(String tenant) {
    try {
      return Tsdb.open(root.resolve(tenant), options, clock);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The open tenants' TSDBs by tenant ID, in ID order. */
  public Map<String, Tsdb> open() {
    return new TreeMap<>(stores);
  }

  /** Compacts every tenant's TSDB; the first failure is thrown after all were tried. */
  public void compactAll() throws IOException {
    IOException first = null;
    for (Tsdb db : open().values()) {
      try {
        db.compact();
      } catch (IOException e) {
        if (first == null) {
          first = e;
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }

  @Override
  public void close() throws IOException {
    IOException first = null;
    for (Tsdb db : stores.values()) {
      try {
        db.close();
      } catch (IOException e) {
        if (first == null) {
          first = e;
        }
      }
    }
    stores.clear();
    if (first != null) {
      throw first;
    }
  }
}
