package io.meridian.remote;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * A place in the WAL: a segment and a byte offset in it where a record starts (or the segment's
 * end). Saved per remote so a restart resumes sending where the last run finished.
 */
record WalPosition(int segment, long offset) implements Comparable<WalPosition> {

  @Override
  public int compareTo(WalPosition o) {
    int c = Integer.compare(segment, o.segment);
    return c != 0 ? c : Long.compare(offset, o.offset);
  }

  /** Writes {@code file} atomically: a crash leaves the old position or the new one. */
  void save(Path file) throws IOException {
    Files.createDirectories(file.getParent());
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, segment + " " + offset + "\n", StandardCharsets.UTF_8);
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /**
   * The position saved in {@code file}; empty when there is none.
   *
   * @throws IOException also when the file does not hold a position (named in the message)
   */
  static Optional<WalPosition> load(Path file) throws IOException {
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    String s = Files.readString(file, StandardCharsets.UTF_8).strip();
    String[] parts = s.split(" ", -1);
    try {
      if (parts.length == 2) {
        WalPosition p = new WalPosition(Integer.parseInt(parts[0]), Long.parseLong(parts[1]));
        if (p.segment >= 0 && p.offset >= 0) {
          return Optional.of(p);
        }
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IOException(file + ": not a WAL position (\"SEGMENT OFFSET\"): " + s);
  }
}
