package io.meridian.tsdb.wal;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** A segment file found in a WAL directory. */
record SegmentRef(int index, Path path) {

  /** The segment files of {@code dir}, by ascending index; empty if there is no such directory. */
  static List<SegmentRef> list(Path dir) throws IOException {
    List<SegmentRef> out = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path p : ds) {
        int i = WalFormat.parseIndex(p.getFileName().toString());
        if (i >= 0 && Files.isRegularFile(p)) {
          out.add(new SegmentRef(i, p));
        }
      }
    } catch (NoSuchFileException e) {
      return List.of();
    }
    out.sort(Comparator.comparingInt(SegmentRef::index));
    return out;
  }
}
