package io.meridian.remote;

import io.meridian.config.RemoteWriteConfig;
import io.meridian.model.Labels;
import io.meridian.scrape.MetricMetadata;
import io.meridian.util.Clock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A server's {@code remote_write} section at run time: a {@link QueueManager} per endpoint, each
 * with its saved position under {@code remote_write/} in the data directory. A reload keeps the
 * queues whose config and external labels did not change, and starts and stops the others.
 */
public final class RemoteWriter implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RemoteWriter.class);

  private final QueueManager.WalSource wal;
  private final Path positionsDir;
  private final QueueManager.Options options;
  private final Clock clock;
  private final Supplier<List<MetricMetadata>> metadata;
  private final Map<String, QueueManager> queues = new LinkedHashMap<>();
  private Labels externalLabels = Labels.EMPTY;

  public RemoteWriter(
      QueueManager.WalSource wal, Path dataDir, QueueManager.Options options, Clock clock) {
    this(wal, dataDir, options, clock, List::of);
  }

  /**
   * @param metadata the scraped targets' metric metadata, sent by endpoints whose {@code
   *     metadata_config} asks for it
   */
  public RemoteWriter(
      QueueManager.WalSource wal,
      Path dataDir,
      QueueManager.Options options,
      Clock clock,
      Supplier<List<MetricMetadata>> metadata) {
    this.metadata = metadata;
    this.wal = wal;
    this.positionsDir = dataDir.resolve("remote_write");
    this.options = options;
    this.clock = clock;
  }

  /** A TSDB's WAL as the queues read it. */
  public static QueueManager.WalSource walOf(io.meridian.tsdb.Tsdb db) {
    return new Wal(db.walDir(), db::walSegment, db::holdWal, () -> db.head().maxTime());
  }

  /** The agent's WAL as the queues read it. */
  public static QueueManager.WalSource walOf(io.meridian.tsdb.agent.AgentDb db) {
    return new Wal(db.walDir(), db::walSegment, db::holdWal, db::newestSample);
  }

  /** A WAL seen through the calls of the store that writes it. */
  private record Wal(
      Path walDir,
      java.util.function.IntSupplier segment,
      java.util.function.Function<java.util.function.IntSupplier, ? extends AutoCloseable> holds,
      java.util.function.LongSupplier newest)
      implements QueueManager.WalSource {
    @Override
    public int walSegment() {
      return segment.getAsInt();
    }

    @Override
    public AutoCloseable hold(java.util.function.IntSupplier lowestNeeded) {
      return holds.apply(lowestNeeded);
    }

    @Override
    public long newestSample() {
      return newest.getAsLong();
    }
  }

  /** The queue's name: {@code name} when set, else a hash of the endpoint's config. */
  static String queueName(RemoteWriteConfig c) {
    if (!c.name().isEmpty()) {
      return c.name();
    }
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      byte[] d = md.digest(c.url().toString().getBytes(StandardCharsets.UTF_8));
      return java.util.HexFormat.of().formatHex(d, 0, 3);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Makes the running queues match {@code configs}.
   *
   * @throws IOException if a new endpoint cannot be set up (TLS files, a bad saved position); the
   *     queues started before it keep running
   */
  public synchronized void apply(List<RemoteWriteConfig> configs, Labels external)
      throws IOException {
    Set<String> names = new HashSet<>();
    for (RemoteWriteConfig c : configs) {
      if (!names.add(queueName(c))) {
        throw new IOException("duplicate remote write name: " + queueName(c));
      }
    }
    boolean externalChanged = !external.equals(externalLabels);
    externalLabels = external;
    for (var it = queues.entrySet().iterator(); it.hasNext(); ) {
      var e = it.next();
      QueueManager q = e.getValue();
      if (externalChanged || !configs.contains(q.config()) || !names.contains(e.getKey())) {
        q.close();
        it.remove();
      }
    }
    for (RemoteWriteConfig c : configs) {
      String name = queueName(c);
      if (queues.containsKey(name)) {
        continue;
      }
      QueueManager q =
          new QueueManager(
              name,
              c,
              external,
              wal,
              positionsDir.resolve(name + ".position"),
              options,
              clock,
              metadata);
      q.start();
      queues.put(name, q);
      log.info("remote write {} to {} started", name, c.url());
    }
  }

  public synchronized List<QueueManager> queues() {
    return new ArrayList<>(queues.values());
  }

  @Override
  public synchronized void close() {
    for (QueueManager q : queues.values()) {
      q.close();
    }
    queues.clear();
  }
}
