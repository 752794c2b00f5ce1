package io.meridian.discovery;

import io.meridian.config.ConfigException;
import io.meridian.config.FileSdConfig;
import io.meridian.config.StaticConfig;
import io.meridian.config.TargetGroupFiles;
import io.meridian.util.Clock;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Prometheus's file discovery for one {@code file_sd_configs} entry: the groups of the target group
 * files its paths and globs match, each labelled {@code __meta_filepath} with its file. The files
 * are read again when something changes in their directories (a {@link WatchService}), and every
 * {@code refresh_interval} besides, for file systems where watching does not work.
 *
 * <p>A file that cannot be read or parsed keeps its last good groups and the reason is logged, as
 * in Prometheus, so that a half-written file does not take its targets away; a file that is gone
 * loses its groups.
 */
public final class FileDiscoverer implements Discoverer {
  /** The label that names the file a group came from. */
  public static final String FILEPATH_LABEL = "__meta_filepath";

  private static final Logger log = LoggerFactory.getLogger(FileDiscoverer.class);

  /**
   * How long the directories must stay quiet after an event before the files are read: writers
   * create, write and rename in several steps, and reading between them would drop targets and
   * start them again.
   */
  private static final long SETTLE_MILLIS = 100;

  /** Bounds the settling, so a directory that never goes quiet still gets read. */
  private static final int MAX_SETTLE_ROUNDS = 20;

  private final FileSdConfig cfg;
  private final Clock clock;

  /** The groups of each file that matched at the last read, in path order. */
  private final Map<Path, List<TargetGroup>> byFile = new TreeMap<>();

  /** Directories watched; by the starting thread, then by the watching thread only. */
  private final Map<Path, WatchKey> watched = new HashMap<>();

  private final Set<Path> unwatchable = new HashSet<>();
  private volatile Runnable onChange = () -> {};
  private volatile boolean closed;
  private volatile WatchService watcher;
  private volatile Thread thread;

  private FileDiscoverer(FileSdConfig cfg, Clock clock) {
    this.cfg = cfg;
    this.clock = clock;
  }

  /** Reads the files at start, then on changes and every refresh interval of {@code clock}. */
  public static FileDiscoverer watching(FileSdConfig cfg, Clock clock) {
    return new FileDiscoverer(cfg, clock);
  }

  /** Reads the files at start and when {@link #refresh()} is called, for tests. */
  public static FileDiscoverer unwatched(FileSdConfig cfg) {
    return new FileDiscoverer(cfg, null);
  }

  @Override
  public void start(Runnable onChange) {
    this.onChange = onChange;
    if (clock != null && !closed) {
      try {
        watcher = FileSystems.getDefault().newWatchService();
      } catch (IOException e) {
        log.warn(
            "file_sd: cannot watch files, reading them every {} only: {}",
            cfg.refreshInterval(),
            e.getMessage());
      }
      // Before the first read, so that no change after it goes unseen.
      watchDirectories();
    }
    read();
    if (clock != null && !closed) {
      thread = Thread.ofVirtual().name("file-sd").start(this::run);
    }
  }

  @Override
  public synchronized List<TargetGroup> groups() {
    List<TargetGroup> all = new ArrayList<>();
    byFile.values().forEach(all::addAll);
    return all;
  }

  /** Reads the files now; calls the callback if the groups changed. */
  public void refresh() {
    if (read()) {
      onChange.run();
    }
  }

  @Override
  public void close() {
    closed = true;
    WatchService w = watcher;
    if (w != null) {
      try {
        w.close();
      } catch (IOException e) {
        // Closing only releases the watches; the thread stops on the flag.
      }
    }
    Thread t = thread;
    if (t != null) {
      LockSupport.unpark(t);
    }
  }

  /** Reads every matching file; returns whether the groups changed. */
  private synchronized boolean read() {
    Map<Path, List<TargetGroup>> next = new TreeMap<>();
    for (String pattern : cfg.files()) {
      for (Path file : TargetGroupFiles.matching(pattern)) {
        if (next.containsKey(file)) {
          continue;
        }
        try {
          next.put(file, groups(file));
        } catch (NoSuchFileException e) {
          // Deleted since it was listed: gone, like one not listed.
        } catch (IOException | ConfigException e) {
          log.error("file_sd: error reading file, keeping its last targets: {}", reason(file, e));
          List<TargetGroup> last = byFile.get(file);
          if (last != null) {
            next.put(file, last);
          }
        }
      }
    }
    if (next.equals(byFile)) {
      return false;
    }
    byFile.clear();
    byFile.putAll(next);
    return true;
  }

  private static List<TargetGroup> groups(Path file) throws IOException, ConfigException {
    List<StaticConfig> read = TargetGroupFiles.read(file);
    List<TargetGroup> out = new ArrayList<>(read.size());
    for (int i = 0; i < read.size(); i++) {
      StaticConfig g = read.get(i);
      TargetGroup group = TargetGroup.of(file + ":" + i, g);
      out.add(
          new TargetGroup(
              group.source(),
              group.targets(),
              g.labels().toBuilder().set(FILEPATH_LABEL, file.toString()).build()));
    }
    return out;
  }

  /** The message, naming the file: a config exception's does; an I/O exception's may not. */
  private static String reason(Path file, Exception e) {
    if (e instanceof ConfigException) {
      return e.getMessage();
    }
    if (e instanceof CharacterCodingException) {
      return file + ": not UTF-8 text";
    }
    return file + ": " + e;
  }

  private void run() {
    long every = Math.max(1, cfg.refreshInterval().toMillis());
    long next = clock.millis() + every;
    try {
      while (!closed) {
        long left = next - clock.millis();
        if (left > 0 && !awaitEvent(left) && clock.millis() < next) {
          continue;
        }
        if (closed) {
          return;
        }
        refresh();
        next = clock.millis() + every;
        watchDirectories();
      }
    } catch (InterruptedException | ClosedWatchServiceException e) {
      // Closed.
    }
  }

  /**
   * Waits up to {@code millis} for a change in a watched directory, then until they settle.
   *
   * @return whether something changed
   */
  private boolean awaitEvent(long millis) throws InterruptedException {
    WatchService w = watcher;
    if (w == null) {
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(millis));
      return false;
    }
    WatchKey key = w.poll(millis, TimeUnit.MILLISECONDS);
    if (key == null) {
      return false;
    }
    for (int i = 0; key != null && i < MAX_SETTLE_ROUNDS; i++) {
      key.pollEvents();
      if (!key.reset()) {
        watched.values().remove(key);
      }
      key = w.poll(SETTLE_MILLIS, TimeUnit.MILLISECONDS);
    }
    return true;
  }

  /**
   * Watches the directory of each pattern not watched yet; one that does not exist is tried again
   * after the next read, as Prometheus does.
   */
  private void watchDirectories() {
    WatchService w = watcher;
    if (w == null) {
      return;
    }
    watched.values().removeIf(k -> !k.isValid());
    for (String pattern : cfg.files()) {
      Path dir = Path.of(pattern).toAbsolutePath().getParent();
      if (dir == null || watched.containsKey(dir)) {
        continue;
      }
      try {
        watched.put(
            dir,
            dir.register(
                w,
                StandardWatchEventKinds.ENTRY_CREATE,
                StandardWatchEventKinds.ENTRY_DELETE,
                StandardWatchEventKinds.ENTRY_MODIFY));
        unwatchable.remove(dir);
      } catch (IOException e) {
        if (unwatchable.add(dir)) {
          log.warn(
              "file_sd: cannot watch {}, reading its files every {} only: {}",
              dir,
              cfg.refreshInterval(),
              e.toString());
        }
      }
    }
  }
}
