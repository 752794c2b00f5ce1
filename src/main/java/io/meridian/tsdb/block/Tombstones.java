package io.meridian.tsdb.block;

import io.meridian.storage.CorruptDataException;
import io.meridian.tsdb.chunk.Intervals;
import io.meridian.util.Decbuf;
import io.meridian.util.Encbuf;
import io.meridian.util.MappedFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.Map;

/**
 * A block's {@code tombstones} file: deleted time ranges per series ({@code
 * ../shared/specs/tsdb-format/tombstones.md}).
 *
 * <pre>
 * magic 0x0130BA30 (4) │ version 1 (1) │ {uvarint series ref, varint mint, varint maxt}* │ crc32c
 * </pre>
 *
 * The checksum covers the entries only, as Prometheus computes it.
 */
public final class Tombstones {
  public static final String FILE = "tombstones";
  public static final int MAGIC = 0x0130BA30;
  public static final int VERSION = 1;

  private final Map<Long, Intervals> bySeries;

  private Tombstones(Map<Long, Intervals> bySeries) {
    this.bySeries = bySeries;
  }

  public static Tombstones empty() {
    return new Tombstones(Map.of());
  }

  /** Deleted ranges of series {@code ref}, empty when none. */
  public Intervals of(long ref) {
    return bySeries.getOrDefault(ref, Intervals.NONE);
  }

  /** These tombstones and {@code [mint, maxt]} deleted from series {@code ref}. */
  public Tombstones with(long ref, long mint, long maxt) {
    Map<Long, Intervals> m = new HashMap<>(bySeries);
    m.put(ref, of(ref).add(mint, maxt));
    return new Tombstones(m);
  }

  public boolean isEmpty() {
    return bySeries.isEmpty();
  }

  /** Number of intervals, for meta.json. */
  public long count() {
    return bySeries.values().stream().mapToLong(Intervals::size).sum();
  }

  /** Reads {@code dir/tombstones}; a missing file means none. */
  public static Tombstones read(Path dir) throws IOException {
    Path file = dir.resolve(FILE);
    if (!Files.exists(file)) {
      return empty();
    }
    try (MappedFile f = MappedFile.open(file)) {
      long size = f.size();
      if (size < 9) {
        throw new CorruptDataException(file + ": too small (" + size + " bytes)");
      }
      Decbuf d = new Decbuf(f.segment(), 0, size);
      if (d.readBE32() != MAGIC) {
        throw new CorruptDataException(file + ": bad magic");
      }
      int version = d.readByte();
      if (version != VERSION) {
        throw new CorruptDataException(file + ": unknown version " + version);
      }
      Decbuf crc = new Decbuf(f.segment(), size - 4, size);
      if (crc.readBE32() != Decbuf.crc32c(f.segment(), 5, size - 4)) {
        throw new CorruptDataException(file + ": checksum mismatch");
      }
      d.limit(size - 4);
      Map<Long, Intervals> m = new HashMap<>();
      while (d.remaining() > 0) {
        long ref = d.readUvarint();
        long mint = d.readVarint();
        long maxt = d.readVarint();
        if (mint > maxt) {
          throw new CorruptDataException(file + ": interval [" + mint + ", " + maxt + "] is empty");
        }
        m.put(ref, m.getOrDefault(ref, Intervals.NONE).add(mint, maxt));
      }
      return new Tombstones(m);
    } catch (Decbuf.DecodeException e) {
      throw new CorruptDataException(file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Writes {@code dir/tombstones} through a temporary file and a rename, so readers see all or
   * none.
   */
  public void write(Path dir) throws IOException {
    Encbuf entries = new Encbuf(64);
    bySeries.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(e -> {
          Intervals iv = e.getValue();
          for (int i = 0; i < iv.size(); i++) {
            entries.putUvarint(e.getKey()).putVarint(iv.mint(i)).putVarint(iv.maxt(i));
          }
        });
    Encbuf out = new Encbuf(entries.len() + 9);
    out.putBE32(MAGIC).putByte(VERSION).putBytes(entries.array(), 0, entries.len());
    out.putBE32(entries.crc32c(0, entries.len()));
    Path tmp = dir.resolve(FILE + ".tmp");
    Files.write(tmp, out.toByteArray());
    Files.move(tmp, dir.resolve(FILE), StandardCopyOption.ATOMIC_MOVE);
  }
}
