package io.meridian.tsdb.wal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Cuts a WAL back to the last good record before a corruption, as Prometheus's {@code WL.Repair}
 * does: later segments are deleted and the corrupt segment is rewritten with only the whole records
 * that end at or before the corruption's offset, its last page padded, so the log ends cleanly and
 * a new {@link Wal} can continue after it. Records after the corruption are lost even if they are
 * intact, because later records may depend on earlier ones.
 *
 * <p>Run it with no {@link Wal} open on the directory.
 */
public final class WalRepair {
  private static final String REPAIR_SUFFIX = ".repair";

  private WalRepair() {}

  /**
   * Repairs {@code dir} at the corruption {@code at} found reading it.
   *
   * @throws IllegalArgumentException if {@code at} names another directory (a checkpoint's, say)
   */
  public static void repair(Path dir, WalCorruptionException at) throws IOException {
    if (at.dir() != null && !Files.isSameFile(at.dir(), dir)) {
      throw new IllegalArgumentException(
          "the corruption is in " + at.dir() + ", not in the WAL " + dir);
    }
    SegmentRef corrupt = null;
    for (SegmentRef s : SegmentRef.list(dir)) {
      if (s.index() > at.segment()) {
        Files.delete(s.path());
      } else if (s.index() == at.segment()) {
        corrupt = s;
      }
    }
    if (corrupt != null) {
      rewrite(dir, corrupt, goodPrefix(dir, at));
    }
    WalFiles.syncDir(dir);
  }

  /** The end of the last whole record of the segment that ends at or before {@code at}. */
  private static long goodPrefix(Path dir, WalCorruptionException at) throws IOException {
    long end = 0;
    try (WalReader r = WalReader.open(dir, at.segment(), at.segment())) {
      while (r.next() && r.endOffset() <= at.offset()) {
        end = r.endOffset();
      }
    } catch (WalCorruptionException expected) {
      // The records before it are what we keep.
    }
    return end;
  }

  /**
   * Copies the first {@code keep} bytes, which are whole fragments and padding exactly as written,
   * into a fresh file padded to a page boundary, then renames it over the segment.
   */
  private static void rewrite(Path dir, SegmentRef segment, long keep) throws IOException {
    Path tmp = dir.resolve(segment.path().getFileName() + REPAIR_SUFFIX);
    long padded = (keep + WalFormat.PAGE_SIZE - 1) / WalFormat.PAGE_SIZE * WalFormat.PAGE_SIZE;
    try (FileChannel in = FileChannel.open(segment.path(), StandardOpenOption.READ);
        FileChannel out =
            FileChannel.open(
                tmp,
                StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
      long done = 0;
      while (done < keep) {
        done += in.transferTo(done, keep - done, out);
      }
      ByteBuffer zeros = ByteBuffer.allocate((int) (padded - keep));
      while (zeros.hasRemaining()) {
        out.write(zeros);
      }
      out.force(true);
    }
    Files.move(tmp, segment.path(), StandardCopyOption.ATOMIC_MOVE);
  }
}
