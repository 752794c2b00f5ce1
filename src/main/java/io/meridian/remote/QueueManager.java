package io.meridian.remote;

import io.meridian.config.RemoteWriteConfig;
import io.meridian.model.Labels;
import io.meridian.relabel.Relabeler;
import io.meridian.scrape.MetricMetadata;
import io.meridian.tsdb.wal.Records;
import io.meridian.util.Clock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends one {@code remote_write} endpoint everything appended to the WAL: a {@link WalWatcher}
 * reads it, series get external labels and {@code write_relabel_configs} once, samples go to {@link
 * Shard}s by series, and a {@link SendWatermark} says how far the WAL is done with. That position
 * is saved, and WAL segments from it on are held back from checkpoints, so neither an outage nor a
 * restart loses or resends data; the backlog budget (bytes and age) bounds how much is held,
 * dropping the oldest segments and counting their samples when exceeded. Every second a ticker
 * saves the position and checks the budget; every ten, it resizes the shards to the rate.
 */
public final class QueueManager implements WalWatcher.Sink, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(QueueManager.class);
  private static final long RESHARD_EVERY_TICKS = 10;

  /**
   * How a queue bounds itself.
   *
   * @param maxBacklogBytes WAL bytes held for this remote beyond which the oldest segments are
   *     dropped; 0 for no bound
   * @param maxBacklogAge samples older than this (by their timestamps) are dropped with their
   *     segment; zero for no bound
   * @param flushDeadline how long a stop waits for queued samples to be sent
   * @param pollMillis how often the WAL is looked at for new records
   */
  public record Options(
      long maxBacklogBytes, Duration maxBacklogAge, Duration flushDeadline, long pollMillis) {
    public static final Options DEFAULT =
        new Options(0, Duration.ofHours(24), Duration.ofSeconds(10), 200);
  }

  /** Where a queue reads from: the WAL directory and the segment written now. */
  public interface WalSource {
    Path walDir();

    int walSegment();

    /** Keeps segments from {@code lowestNeeded} on; the result releases the hold. */
    AutoCloseable hold(IntSupplier lowestNeeded);

    /** The newest sample time appended, for the lag. */
    long newestSample();
  }

  private final String name;
  private final RemoteWriteConfig config;
  private final Labels externalLabels;
  private final WalSource wal;
  private final Path positionFile;
  private final Options options;
  private final Supplier<List<MetricMetadata>> metadata;
  private final Clock clock;
  // Waits and send durations are real time even when sample time is simulated (tests).
  private final Clock timer = Clock.system();
  private final WriteClient client;
  private final RefTable<Labels> series = new RefTable<>();
  private Labels[] scratch = new Labels[1024];
  private final ReentrantReadWriteLock reshard = new ReentrantReadWriteLock();
  private volatile Shard[] shards;
  private Thread[] shardThreads;
  private SendWatermark watermark;
  private WalWatcher watcher;
  private Thread watcherThread;
  private Thread ticker;
  private Thread metadataSender;
  private AutoCloseable hold;
  private volatile boolean closed;
  private volatile int floorSegment;
  private volatile long dropBelowSeq = Long.MIN_VALUE;
  private WalPosition saved;

  // counters, read by RemoteStorageMetrics
  final LongAdder samplesIn = new LongAdder();
  final LongAdder samplesSent = new LongAdder();
  final LongAdder samplesFailed = new LongAdder();
  final LongAdder samplesRetried = new LongAdder();
  final LongAdder droppedRelabel = new LongAdder();
  final LongAdder droppedBacklog = new LongAdder();
  final LongAdder droppedUnknown = new LongAdder();
  final LongAdder bytesSent = new LongAdder();
  final LongAdder metadataSent = new LongAdder();
  final LongAdder metadataFailed = new LongAdder();
  final LongAdder sendNanos = new LongAdder();
  final AtomicLong highestSent = new AtomicLong(Long.MIN_VALUE);
  private volatile long lastFailureNanos = Long.MIN_VALUE;
  private volatile long lastLogNanos = Long.MIN_VALUE;

  QueueManager(
      String name,
      RemoteWriteConfig config,
      Labels externalLabels,
      WalSource wal,
      Path positionFile,
      Options options,
      Clock clock)
      throws IOException {
    this(name, config, externalLabels, wal, positionFile, options, clock, List::of);
  }

  QueueManager(
      String name,
      RemoteWriteConfig config,
      Labels externalLabels,
      WalSource wal,
      Path positionFile,
      Options options,
      Clock clock,
      Supplier<List<MetricMetadata>> metadata)
      throws IOException {
    this.metadata = metadata;
    this.name = name;
    this.config = config;
    this.externalLabels = externalLabels;
    this.wal = wal;
    this.positionFile = positionFile;
    this.options = options;
    this.clock = clock;
    this.client = new WriteClient(config, clock);
  }

  /**
   * Starts reading at the saved position, or at the start of the segment being written when this
   * remote has none (a new remote gets what is appended from now on, as in Prometheus).
   */
  void start() throws IOException {
    WalPosition start =
        WalPosition.load(positionFile).orElseGet(() -> new WalPosition(wal.walSegment(), 0));
    saved = start;
    watermark = new SendWatermark(start);
    watcher = new WalWatcher(name, wal.walDir(), start, this, options.pollMillis());
    hold = wal.hold(this::lowestNeeded);
    startShards(config.queue().minShards());
    watcherThread = Thread.ofPlatform().name("remote-write-wal-" + name).daemon().start(watcher);
    ticker = Thread.ofVirtual().name("remote-write-ticker-" + name).start(this::tick);
    if (config.metadata().send()
        && !RemoteWriteConfig.PROTOBUF_V2.equals(config.protobufMessage())) {
      // 2.0 carries metadata in each series; 1.0 sends it on its own, every send_interval.
      metadataSender =
          Thread.ofVirtual().name("remote-write-metadata-" + name).start(this::sendMetadataLoop);
    }
  }

  public String name() {
    return name;
  }

  public RemoteWriteConfig config() {
    return config;
  }

  /** The lowest WAL segment this queue still needs (held back from checkpoints). */
  private int lowestNeeded() {
    WalWatcher w = watcher;
    int needed = Math.max(watermark.position().segment(), floorSegment);
    return w == null ? needed : Math.min(needed, w.segment());
  }

  // ---- WalWatcher.Sink, on the watcher's thread ----

  @Override
  public void series(List<Records.RefSeries> records, int segment) {
    for (Records.RefSeries s : records) {
      series.put(s.ref(), prepare(s.labels()), segment);
    }
  }

  /** External labels the series lacks, then write relabeling; null when relabeling drops it. */
  private Labels prepare(Labels in) {
    Labels l = in;
    if (!externalLabels.isEmpty()) {
      Labels.Builder b = null;
      for (int i = 0; i < externalLabels.size(); i++) {
        if (!in.has(externalLabels.name(i))) {
          if (b == null) {
            b = in.toBuilder();
          }
          b.set(externalLabels.name(i), externalLabels.value(i));
        }
      }
      l = b == null ? in : b.build();
    }
    return config.writeRelabelConfigs().isEmpty()
        ? l
        : Relabeler.process(l, config.writeRelabelConfigs());
  }

  @Override
  public void checkpoint(int index) {
    series.removeBefore(index);
  }

  @Override
  public void samples(Records.SampleBatch b, int segment, long endOffset)
      throws InterruptedException {
    if (scratch.length < b.size) {
      scratch = new Labels[Math.max(b.size, scratch.length * 2)];
    }
    int kept = 0;
    long minT = Long.MAX_VALUE;
    for (int i = 0; i < b.size; i++) {
      Labels l = series.get(b.refs[i]);
      scratch[i] = l;
      if (l != null) {
        kept++;
        minT = Math.min(minT, b.ts[i]);
      } else if (series.contains(b.refs[i])) {
        droppedRelabel.increment();
      } else {
        droppedUnknown.increment();
      }
    }
    samplesIn.add(kept);
    if (segment < floorSegment) {
      droppedBacklog.add(kept);
      watermark.add(segment, endOffset, 0, 0);
      return;
    }
    long seq = watermark.add(segment, endOffset, kept, minT);
    if (kept == 0) {
      return;
    }
    reshard.readLock().lockInterruptibly();
    try {
      Shard[] sh = shards;
      for (int i = 0; i < b.size; i++) {
        Labels l = scratch[i];
        if (l != null) {
          sh[(int) Long.remainderUnsigned(b.refs[i], sh.length)].offer(l, b.ts[i], b.vs[i], seq);
          scratch[i] = null;
        }
      }
    } finally {
      reshard.readLock().unlock();
    }
  }

  // ---- called by shards ----

  WriteClient client() {
    return client;
  }

  long nanos() {
    return timer.nanos();
  }

  long minBackoffMillis() {
    return Math.max(1, config.queue().minBackoff().toMillis());
  }

  long maxBackoffMillis() {
    return Math.max(minBackoffMillis(), config.queue().maxBackoff().toMillis());
  }

  long dropBelowSeq() {
    return dropBelowSeq;
  }

  void finished(long seq, int count) {
    watermark.finished(seq, count);
  }

  void dropped(long seq, int count) {
    droppedBacklog.add(count);
    watermark.finished(seq, count);
  }

  void sendTook(long nanos) {
    sendNanos.add(nanos);
  }

  void sent(int n, int bytes, long maxT) {
    samplesSent.add(n);
    bytesSent.add(bytes);
    highestSent.accumulateAndGet(maxT, Math::max);
  }

  void rejected(int n, WriteClient.Result r) {
    samplesFailed.add(n);
    logRateLimited("dropped {} samples the remote rejected: {}", n, r.reason());
  }

  void retrying(int n, WriteClient.Result r) {
    samplesRetried.add(n);
    lastFailureNanos = timer.nanos();
    logRateLimited("sending {} samples failed, retrying: {}", n, r.reason());
  }

  private void logRateLimited(String msg, int n, String reason) {
    long now = timer.nanos();
    if (lastLogNanos == Long.MIN_VALUE || now - lastLogNanos > TimeUnit.SECONDS.toNanos(10)) {
      lastLogNanos = now;
      log.warn("remote write {} ({}): " + msg, name, config.url(), n, reason);
    }
  }

  // ---- the ticker ----

  private void tick() {
    long ticks = 0;
    long lastIn = 0;
    long lastOut = 0;
    long lastBusy = 0;
    long lastNanos = timer.nanos();
    while (!closed) {
      try {
        synchronized (this) {
          wait(1000);
        }
      } catch (InterruptedException e) {
        return;
      }
      if (closed) {
        return;
      }
      savePosition();
      checkBacklog();
      if (++ticks % RESHARD_EVERY_TICKS == 0) {
        long now = timer.nanos();
        long in = samplesIn.sum();
        long out = samplesSent.sum() + samplesFailed.sum();
        long busy = sendNanos.sum();
        maybeReshard(in - lastIn, out - lastOut, busy - lastBusy, now - lastNanos);
        lastIn = in;
        lastOut = out;
        lastBusy = busy;
        lastNanos = now;
      }
    }
  }

  private void sendMetadataLoop() {
    WriteRequestEncoder encoder = new WriteRequestEncoder(false);
    long every = Math.max(1, config.metadata().sendInterval().toMillis());
    int per =
        config.metadata().maxSamplesPerSend() > 0 ? config.metadata().maxSamplesPerSend() : 2000;
    while (!closed) {
      try {
        synchronized (this) {
          wait(every);
        }
        List<MetricMetadata> all = metadata.get();
        for (int from = 0; from < all.size() && !closed; from += per) {
          int to = Math.min(all.size(), from + per);
          encoder.encodeMetadata(all, from, to);
          sendMetadata(SnappyBlock.compress(encoder.array(), encoder.length()), to - from, every);
        }
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** Sends one metadata request, retrying within one send interval; counts what became of it. */
  private void sendMetadata(byte[] body, int n, long withinMillis) throws InterruptedException {
    long giveUp = timer.nanos() + TimeUnit.MILLISECONDS.toNanos(withinMillis);
    long backoff = minBackoffMillis();
    while (!closed) {
      WriteClient.Result r = client.send(body, body.length);
      switch (r.kind()) {
        case SENT -> {
          metadataSent.add(n);
          return;
        }
        case REJECTED -> {
          metadataFailed.add(n);
          return;
        }
        case RETRY -> {
          if (timer.nanos() + TimeUnit.MILLISECONDS.toNanos(backoff) > giveUp) {
            metadataFailed.add(n);
            return;
          }
          synchronized (this) {
            wait(r.retryAfterMillis() >= 0 ? Math.max(1, r.retryAfterMillis()) : backoff);
          }
          backoff = Math.min(backoff * 2, maxBackoffMillis());
        }
      }
    }
  }

  private void savePosition() {
    WalPosition p = watermark.position();
    if (!p.equals(saved)) {
      try {
        p.save(positionFile);
        saved = p;
      } catch (IOException e) {
        log.warn("remote write {}: saving the position in {} failed: {}", name, positionFile, e);
      }
    }
  }

  /** Bytes of the WAL segments from {@code from} to the one being written. */
  private long bytesFrom(int from, int current) {
    long total = 0;
    for (int s = from; s <= current; s++) {
      total += segmentSize(s);
    }
    return total;
  }

  private long segmentSize(int s) {
    try {
      return Files.size(wal.walDir().resolve(io.meridian.tsdb.wal.WalFormat.segmentName(s)));
    } catch (NoSuchFileException e) {
      return 0;
    } catch (IOException e) {
      return 0;
    }
  }

  /** Drops the oldest held segments while the backlog is over its bytes or age budget. */
  void checkBacklog() {
    int current = wal.walSegment();
    int from = Math.max(watermark.position().segment(), floorSegment);
    if (from >= current) {
      return;
    }
    int floor = from;
    if (options.maxBacklogBytes() > 0) {
      long bytes = bytesFrom(from, current);
      while (floor < current && bytes > options.maxBacklogBytes()) {
        bytes -= segmentSize(floor);
        floor++;
      }
    }
    long oldest = watermark.oldestPending();
    if (!options.maxBacklogAge().isZero()
        && oldest != Long.MAX_VALUE
        && clock.millis() - oldest > options.maxBacklogAge().toMillis()) {
      floor = Math.max(floor, from + 1);
    }
    if (floor > floorSegment && floor > from) {
      log.warn(
          "remote write {} ({}): backlog over its budget ({} bytes, {}); dropping WAL segments {}"
              + " to {} unsent",
          name,
          config.url(),
          options.maxBacklogBytes(),
          options.maxBacklogAge(),
          from,
          floor - 1);
      floorSegment = floor;
      dropBelowSeq = watermark.firstSeqFrom(floor);
      for (Shard s : shards) {
        s.dropBelow(dropBelowSeq);
      }
    }
  }

  private void maybeReshard(long in, long out, long busyNanos, long elapsedNanos) {
    if (elapsedNanos <= 0
        || (lastFailureNanos != Long.MIN_VALUE
            && timer.nanos() - lastFailureNanos < TimeUnit.SECONDS.toNanos(30))) {
      return; // no resharding while the remote fails: more shards would not help it
    }
    int current = shards.length;
    int desired = desiredShards(in, out, busyNanos, elapsedNanos, pending(), current);
    if (desired == current) {
      return;
    }
    try {
      if (!reshard.writeLock().tryLock(5, TimeUnit.SECONDS)) {
        return;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    try {
      log.info("remote write {}: resharding from {} to {} shards", name, current, desired);
      stopShards();
      startShards(desired);
    } finally {
      reshard.writeLock().unlock();
    }
  }

  /**
   * Shards needed to send what comes in plus the backlog within a resharding interval, from the
   * time one sample took to send; kept unless off by more than 30%, within min and max shards.
   */
  int desiredShards(
      long in, long out, long busyNanos, long elapsedNanos, long pending, int current) {
    if (out <= 0) {
      return current;
    }
    double seconds = elapsedNanos / 1e9;
    double secondsPerSample = busyNanos / 1e9 / out;
    double inRate = in / seconds;
    double catchUp = pending / (RESHARD_EVERY_TICKS * 1.0);
    double want = secondsPerSample * (inRate + catchUp);
    if (want > current * 0.7 && want < current * 1.3) {
      return current;
    }
    int d = (int) Math.ceil(want);
    return Math.clamp(d, config.queue().minShards(), config.queue().maxShards());
  }

  private void startShards(int n) {
    RemoteWriteConfig.QueueConfig q = config.queue();
    boolean v2 = RemoteWriteConfig.PROTOBUF_V2.equals(config.protobufMessage());
    Shard[] sh = new Shard[n];
    Thread[] threads = new Thread[n];
    for (int i = 0; i < n; i++) {
      sh[i] =
          new Shard(this, q.capacity(), q.maxSamplesPerSend(), q.batchSendDeadline().toNanos(), v2);
      threads[i] = Thread.ofVirtual().name("remote-write-shard-" + name + "-" + i).start(sh[i]);
    }
    shards = sh;
    shardThreads = threads;
  }

  private void stopShards() {
    long abandonAt = timer.nanos() + options.flushDeadline().toNanos();
    for (Shard s : shards) {
      s.stop(abandonAt);
    }
    for (Thread t : shardThreads) {
      try {
        t.join(options.flushDeadline().plusSeconds(5));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** Samples queued or in flight. */
  public long pending() {
    long n = 0;
    for (Shard s : shards) {
      n += s.pending();
    }
    return n;
  }

  public int shardCount() {
    return shards.length;
  }

  /**
   * How far sending trails appending, in seconds: the newest appended sample's time minus the
   * newest sent one's, zero when nothing waits. Before this run has sent anything (a remote down
   * since the start, or since a restart in its outage) the oldest sample waiting stands for the
   * newest sent, so the lag shows the backlog rather than nothing.
   */
  public double lagSeconds() {
    boolean behind =
        watermark.pendingRecords() > 0 || watcher.segment() < wal.walSegment() || pending() > 0;
    long newest = wal.newestSample();
    if (!behind || newest == Long.MIN_VALUE) {
      return 0;
    }
    long sent = highestSent.get();
    if (sent == Long.MIN_VALUE) {
      sent = watermark.oldestPending();
      if (sent == Long.MAX_VALUE) {
        return 0;
      }
    }
    return Math.max(0, newest - sent) / 1000.0;
  }

  /** WAL bytes held for this remote. */
  public long backlogBytes() {
    int current = wal.walSegment();
    int from = Math.max(watermark.position().segment(), floorSegment);
    return from > current ? 0 : bytesFrom(from, current);
  }

  /** The saved-or-current position (tests, metrics). */
  WalPosition position() {
    return watermark.position();
  }

  /**
   * Reads the WAL to its end, sends what is queued (both within the flush deadline) and saves the
   * position; what is left unsent is sent by the next start.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    synchronized (this) {
      notifyAll();
    }
    if (watcher != null) {
      watcher.finish();
      try {
        watcherThread.join(options.flushDeadline());
        if (watcherThread.isAlive()) { // queues full and the remote down: what is unread waits
          watcher.stop();
          watcherThread.interrupt();
          watcherThread.join(5000);
        }
        ticker.join(5000);
        if (metadataSender != null) {
          metadataSender.join(5000);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      stopShards();
      savePosition();
      try {
        hold.close();
      } catch (Exception e) {
        log.debug("releasing the WAL hold", e);
      }
    }
    client.close();
  }
}
