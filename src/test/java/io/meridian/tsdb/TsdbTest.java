package io.meridian.tsdb;

import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.model.Labels;
import io.meridian.model.Matcher;
import io.meridian.storage.Appender;
import io.meridian.storage.Querier;
import io.meridian.storage.RandomizedQueries;
import io.meridian.storage.ReferenceStorage;
import io.meridian.storage.SampleIterator;
import io.meridian.storage.SelectHints;
import io.meridian.storage.SeriesSet;
import io.meridian.testing.ManualClock;
import io.meridian.testing.SeededRandom;
import io.meridian.testing.SeededRandomExtension;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(SeededRandomExtension.class)
class TsdbTest {
  private static final long HOUR = 3_600_000L;
  @TempDir Path dir;
  private final ManualClock clock = new ManualClock(0);

  private static final Labels A = Labels.of("__name__", "up", "job", "a");
  private static final Labels B = Labels.of("__name__", "up", "job", "b");

  /** Appends one sample per 15 s to A and B over [from, to), in batches of 40 per series. */
  private static void fill(Tsdb db, long from, long to) throws Exception {
    Appender app = db.appender();
    int n = 0;
    for (long t = from; t < to; t += 15_000) {
      app.append(A, t, t / 1000.0);
      app.append(B, t, -t / 1000.0);
      if (++n % 40 == 0) {
        app.commit();
        app = db.appender();
      }
    }
    app.commit();
  }

  private static List<Long> times(Tsdb db, Labels l, long mint, long maxt) throws IOException {
    List<Long> out = new ArrayList<>();
    try (Querier q = db.querier(mint, maxt)) {
      SeriesSet set =
          q.select(
              true, SelectHints.range(mint, maxt), List.of(Matcher.equal("job", l.get("job"))));
      SampleIterator it = null;
      while (set.next()) {
        it = set.at().iterator(it);
        while (it.next()) {
          out.add(it.t());
        }
      }
    }
    return out;
  }

  @Test
  void reopeningReplaysTheWal() throws Exception {
    try (Tsdb db = Tsdb.open(dir, TsdbOptions.defaults(), clock)) {
      fill(db, 0, HOUR);
    }
    try (Tsdb db = Tsdb.open(dir, TsdbOptions.defaults(), clock)) {
      assertThat(times(db, A, 0, HOUR)).hasSize(240).startsWith(0L).endsWith(HOUR - 15_000);
      assertThat(db.replayResult().samples()).isEqualTo(480);
      // Appends continue after the replayed data, and survive another restart.
      fill(db, HOUR, HOUR + 60_000);
    }
    try (Tsdb db = Tsdb.open(dir, TsdbOptions.defaults(), clock)) {
      assertThat(times(db, B, 0, 2 * HOUR)).hasSize(244);
    }
  }

  @Test
  void compactionCutsBlocksAndQueriesSpanHeadAndBlocks() throws Exception {
    try (Tsdb db = Tsdb.open(dir, TsdbOptions.defaults(), clock)) {
      fill(db, 0, 7 * HOUR);
      db.compact();
      assertThat(db.blocks()).hasSize(2);
      assertThat(db.blocks().getFirst().meta().minTime()).isZero();
      assertThat(db.blocks().getFirst().meta().maxTime()).isEqualTo(2 * HOUR);
      assertThat(db.head().minTime()).isGreaterThanOrEqualTo(4 * HOUR);
      assertThat(times(db, A, 0, 7 * HOUR)).hasSize(7 * 240);
      // Samples the blocks already hold are out of bounds now.
      Appender late = db.appender();
      assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> late.append(A, HOUR, 1.0)))
          .isInstanceOf(io.meridian.storage.SampleRejectedException.class);
      late.rollback();
    }
    try (Tsdb db = Tsdb.open(dir, TsdbOptions.defaults(), clock)) {
      assertThat(db.blocks()).hasSize(2);
      assertThat(times(db, A, 0, 7 * HOUR)).hasSize(7 * 240);
    }
  }

  @Test
  void blocksAreCompactedUp() throws Exception {
    TsdbOptions opts = TsdbOptions.withRetention(Duration.ofHours(60), 0); // blocks up to 6h
    try (Tsdb db = Tsdb.open(dir, opts, clock)) {
      fill(db, 0, 15 * HOUR);
      db.compact();
      // 2h blocks cut up to 12h; [0,6h) and [6h,12h) compacted into 6h blocks.
      assertThat(db.blocks().stream().map(b -> b.meta().maxTime() - b.meta().minTime()))
          .containsExactly(6 * HOUR, 6 * HOUR);
      assertThat(db.blocks().getFirst().meta().level()).isEqualTo(2);
      assertThat(db.blocks().getFirst().meta().sources()).hasSize(3);
      assertThat(db.stats().compactions()).isEqualTo(2);
      assertThat(times(db, A, 0, 15 * HOUR)).hasSize(15 * 240);
    }
    try (Tsdb db = Tsdb.open(dir, opts, clock)) {
      assertThat(times(db, A, 0, 15 * HOUR)).hasSize(15 * 240);
    }
  }

  @Test
  void retentionDeletesBlocksPastIt() throws Exception {
    TsdbOptions opts = TsdbOptions.withRetention(Duration.ofHours(10), 0);
    try (Tsdb db = Tsdb.open(dir, opts, clock)) {
      fill(db, 0, 30 * HOUR);
      db.compact();
      long oldest = db.blocks().getFirst().meta().minTime();
      assertThat(oldest).isGreaterThanOrEqualTo(18 * HOUR);
      assertThat(db.stats().retentionDeletions()).isPositive();
      assertThat(times(db, A, 0, 30 * HOUR).getFirst()).isEqualTo(oldest);
    }
  }

  @Test
  void sizeRetentionDeletesTheOldestBlocks() throws Exception {
    long total;
    try (Tsdb db = Tsdb.open(dir, TsdbOptions.withRetention(Duration.ofDays(15), 0), clock)) {
      fill(db, 0, 13 * HOUR);
      db.compact();
      total = Tsdb.sizeOf(dir.resolve("wal"));
      for (var b : db.blocks()) {
        total += Tsdb.sizeOf(b.dir());
      }
      assertThat(db.blocks()).hasSizeGreaterThan(2);
    }
    long budget = total - 1; // just too small: the oldest block has to go
    try (Tsdb db = Tsdb.open(dir, TsdbOptions.withRetention(Duration.ofDays(15), budget), clock)) {
      db.compact();
      long blocksBytes = 0;
      for (var b : db.blocks()) {
        blocksBytes += Tsdb.sizeOf(b.dir());
      }
      assertThat(blocksBytes + Tsdb.sizeOf(dir.resolve("wal"))).isLessThanOrEqualTo(budget);
      assertThat(db.stats().retentionDeletions()).isPositive();
    }
  }

  @Test
  void aCorruptBlockIsQuarantinedAndTheRestServed() throws Exception {
    try (Tsdb db = Tsdb.open(dir, TsdbOptions.defaults(), clock)) {
      fill(db, 0, 7 * HOUR);
      db.compact();
    }
    Path victim = null; // the oldest block: the WAL no longer covers its time after restart
    for (Path d : Tsdb.blockDirs(dir)) {
      if (io.meridian.tsdb.block.BlockMeta.read(d).minTime() == 0) {
        victim = d;
      }
    }
    assertThat(victim).isNotNull();
    flipByte(victim.resolve("index"), 20);
    try (Tsdb db = Tsdb.open(dir, TsdbOptions.defaults(), clock)) {
      assertThat(db.blocks()).hasSize(1);
      assertThat(db.stats().quarantined()).isEqualTo(1);
      assertThat(dir.resolve("quarantine").resolve(victim.getFileName())).isDirectory();
      assertThat(times(db, A, 0, 7 * HOUR)).hasSize(5 * 240);
    }
  }

  @Test
  void aCorruptWalTailIsCutAndStartUpGoesOn() throws Exception {
    try (Tsdb db = Tsdb.open(dir, TsdbOptions.defaults(), clock)) {
      fill(db, 0, HOUR);
    }
    Path seg;
    try (Stream<Path> s = Files.list(dir.resolve("wal"))) {
      seg = s.filter(Files::isRegularFile).sorted().findFirst().orElseThrow();
    }
    flipByte(seg, lastDataByte(seg) - 50); // inside the last record, not the page padding
    try (Tsdb db = Tsdb.open(dir, TsdbOptions.defaults(), clock)) {
      assertThat(db.replayResult().repaired()).isTrue();
      List<Long> got = times(db, A, 0, HOUR);
      assertThat(got).isNotEmpty().hasSizeLessThan(240);
      // What is left is a prefix: nothing after the corruption, nothing missing before it.
      for (int i = 0; i < got.size(); i++) {
        assertThat(got.get(i)).isEqualTo(i * 15_000L);
      }
      fill(db, HOUR, HOUR + 60_000);
    }
    try (Tsdb db = Tsdb.open(dir, TsdbOptions.defaults(), clock)) {
      assertThat(db.replayResult().repaired()).isFalse();
      assertThat(times(db, A, HOUR, 2 * HOUR)).hasSize(4);
    }
  }

  @Test
  void answersLikeTheModelAcrossCompactionAndRestart(SeededRandom random) throws Exception {
    TsdbOptions opts = TsdbOptions.defaults().withBlockDuration(Duration.ofMinutes(10));
    ReferenceStorage model = new ReferenceStorage();
    Tsdb db = Tsdb.open(dir, opts, clock);
    try {
      RandomizedQueries.fill(random, db, model);
      RandomizedQueries.compare(random, db, model, 20);
      db.compact();
      RandomizedQueries.compare(random, db, model, 20);
      db.close();
      db = Tsdb.open(dir, opts, clock);
      RandomizedQueries.compare(random, db, model, 20);
    } finally {
      db.close();
    }
  }

  static long lastDataByte(Path file) throws IOException {
    byte[] b = Files.readAllBytes(file);
    int i = b.length - 1;
    while (i > 0 && b[i] == 0) {
      i--;
    }
    return i;
  }

  static void flipByte(Path file, long at) throws IOException {
    try (FileChannel ch =
        FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      ByteBuffer b = ByteBuffer.allocate(1);
      ch.read(b, at);
      b.flip();
      byte v = b.get(0);
      b.put(0, (byte) ~v);
      ch.write(b, at);
    }
  }

  @Test
  void checkpointsKeepSeriesTheHeadDroppedWhileAWalReaderHoldsTheirSamples() throws Exception {
    java.util.concurrent.atomic.AtomicInteger held =
        new java.util.concurrent.atomic.AtomicInteger();
    try (Tsdb db =
        Tsdb.open(
            dir,
            TsdbOptions.defaults()
                .withBlockDuration(Duration.ofMinutes(10))
                .withWalSegmentSize(32 << 10),
            clock)) {
      io.meridian.tsdb.wal.WalTruncator.Hold hold = db.holdWal(held::get);
      Labels gone = Labels.of("__name__", "gone");
      for (long t = 0; t < 60 * 60_000; t += 15_000) {
        Appender app = db.appender();
        if (t < 9 * 60_000) {
          app.append(gone, t, 1);
        }
        for (int i = 0; i < 300; i++) {
          app.append(Labels.of("__name__", "filler", "i", Integer.toString(i)), t, i);
        }
        app.commit();
        if (t == 9 * 60_000 - 15_000) {
          held.set(db.walSegment()); // a reader has not sent gone's last samples yet
        }
      }
      assertThat(held.get()).isPositive();
      db.compact(); // the first head truncation drops gone and checkpoints below the hold
      assertThat(db.head().numSeries()).isEqualTo(300);
      java.util.OptionalInt cp = io.meridian.tsdb.wal.Checkpoint.latest(db.walDir());
      assertThat(cp).isPresent();
      assertThat(cp.getAsInt()).isLessThan(held.get());
      List<Labels> series = new ArrayList<>();
      try (io.meridian.tsdb.wal.WalReader r =
          io.meridian.tsdb.wal.WalReader.open(
              io.meridian.tsdb.wal.Checkpoint.dir(db.walDir(), cp.getAsInt()),
              0,
              Integer.MAX_VALUE)) {
        while (r.next()) {
          if (io.meridian.tsdb.wal.Records.type(r.record())
              == io.meridian.tsdb.wal.Records.Type.SERIES) {
            List<io.meridian.tsdb.wal.Records.RefSeries> rs = new ArrayList<>();
            io.meridian.tsdb.wal.Records.decodeSeries(r.record(), rs);
            rs.forEach(x -> series.add(x.labels()));
          }
        }
      }
      assertThat(series).contains(gone);
      hold.close();
    }
  }
}
