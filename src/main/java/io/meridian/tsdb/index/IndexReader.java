package io.meridian.tsdb.index;

import io.meridian.model.Labels;
import io.meridian.storage.CorruptDataException;
import io.meridian.tsdb.chunk.ChunkMeta;
import io.meridian.util.Decbuf;
import io.meridian.util.MappedFile;
import io.meridian.util.Utf8Order;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a block's index (format v2, see {@link IndexFormat}) from a memory-mapped file. On open it
 * checks the header, the TOC, and the checksums of the symbol table and the postings offset table,
 * and keeps in memory only every 32nd symbol offset and every 32nd postings-table entry per label
 * name, as Prometheus does. Series and postings lists are checked when read.
 *
 * <p>Thread-safe for reads; {@link #close()} must come after all readers are done.
 */
public final class IndexReader implements PostingsSource, Closeable {
  private static final int SAMPLE = 32;
  private static final ValueLayout.OfInt BE32 =
      ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

  private final MappedFile file;
  private final MemorySegment seg;
  private final long[] toc = new long[6];
  private int symbolCount;
  private long[] symbolOffsets; // offset of every SAMPLE-th symbol

  /** Per label name: sampled entries of the postings offset table. */
  private final Map<String, NameEntries> names = new LinkedHashMap<>();

  /** Sampled postings-table entries of one label name (every 32nd and the last). */
  private static final class NameEntries {
    final int count;
    final String[] values;
    final long[] tableOffsets;
    final long[] postingsOffsets;

    NameEntries(int count, String[] values, long[] tableOffsets, long[] postingsOffsets) {
      this.count = count;
      this.values = values;
      this.tableOffsets = tableOffsets;
      this.postingsOffsets = postingsOffsets;
    }
  }

  private IndexReader(MappedFile file) {
    this.file = file;
    this.seg = file.segment();
  }

  /**
   * Opens and checks an index file.
   *
   * @throws CorruptDataException naming the file and what is wrong
   */
  public static IndexReader open(Path path) throws IOException {
    MappedFile f = MappedFile.open(path);
    IndexReader r = new IndexReader(f);
    try {
      r.readHeaderAndToc();
      r.readSymbols();
      r.readPostingsOffsetTable();
      return r;
    } catch (Decbuf.DecodeException e) {
      f.close();
      throw r.corrupt(e.getMessage(), e);
    } catch (IOException | RuntimeException e) {
      f.close();
      throw e;
    }
  }

  public Path path() {
    return file.path();
  }

  private void readHeaderAndToc() throws CorruptDataException {
    long size = seg.byteSize();
    if (size < IndexFormat.HEADER_SIZE + IndexFormat.TOC_SIZE) {
      throw corrupt("file too small (" + size + " bytes)", null);
    }
    Decbuf d = new Decbuf(seg, 0, size);
    int magic = d.readBE32();
    if (magic != IndexFormat.MAGIC) {
      throw corrupt("bad magic 0x" + Integer.toHexString(magic), null);
    }
    int version = d.readByte();
    if (version != IndexFormat.VERSION) {
      throw corrupt("unsupported index version " + version + " (Meridian reads v2)", null);
    }
    long tocStart = size - IndexFormat.TOC_SIZE;
    checkCrc(tocStart, tocStart + 48, "TOC");
    d.position(tocStart);
    for (int i = 0; i < 6; i++) {
      toc[i] = d.readBE64();
      if (toc[i] < 0 || toc[i] > tocStart) {
        throw corrupt("TOC entry " + i + " points outside the file: " + toc[i], null);
      }
    }
  }

  private void readSymbols() throws CorruptDataException {
    Decbuf d = section(toc[0], "symbol table");
    symbolCount = d.readBE32();
    if (symbolCount < 0) {
      throw corrupt("negative symbol count", null);
    }
    symbolOffsets = new long[(symbolCount + SAMPLE - 1) / SAMPLE];
    for (int i = 0; i < symbolCount; i++) {
      if (i % SAMPLE == 0) {
        symbolOffsets[i / SAMPLE] = d.position();
      }
      d.skipUvarintStr();
    }
  }

  private void readPostingsOffsetTable() throws CorruptDataException {
    if (toc[5] == 0) {
      return;
    }
    Decbuf d = section(toc[5], "postings offset table");
    int n = d.readBE32();
    String name = null;
    List<String> values = new ArrayList<>();
    List<Long> tableOffs = new ArrayList<>();
    List<Long> postingOffs = new ArrayList<>();
    int count = 0;
    String lastValue = null;
    long lastTableOff = 0;
    long lastPostingsOff = 0;
    for (int i = 0; i < n; i++) {
      long entryStart = d.position();
      int keys = d.readUvarint32();
      if (keys != 2) {
        throw corrupt("postings offset table entry with " + keys + " keys", null);
      }
      String entryName = d.readUvarintStr();
      String value = d.readUvarintStr();
      long off = d.readUvarint();
      if (!entryName.equals(name)) {
        if (name != null) {
          addName(
              name,
              count,
              values,
              tableOffs,
              postingOffs,
              lastValue,
              lastTableOff,
              lastPostingsOff);
        }
        name = entryName;
        count = 0;
        values.clear();
        tableOffs.clear();
        postingOffs.clear();
      }
      if (count % SAMPLE == 0) {
        values.add(value);
        tableOffs.add(entryStart);
        postingOffs.add(off);
      }
      count++;
      lastValue = value;
      lastTableOff = entryStart;
      lastPostingsOff = off;
    }
    if (name != null) {
      addName(
          name, count, values, tableOffs, postingOffs, lastValue, lastTableOff, lastPostingsOff);
    }
  }

  private void addName(
      String name,
      int count,
      List<String> values,
      List<Long> tableOffs,
      List<Long> postingOffs,
      String lastValue,
      long lastTableOff,
      long lastPostingsOff) {
    // Keep the last entry too, so a binary search knows the end of the name's range.
    if ((count - 1) % SAMPLE != 0) {
      values.add(lastValue);
      tableOffs.add(lastTableOff);
      postingOffs.add(lastPostingsOff);
    }
    names.put(
        name,
        new NameEntries(
            count,
            values.toArray(String[]::new),
            tableOffs.stream().mapToLong(Long::longValue).toArray(),
            postingOffs.stream().mapToLong(Long::longValue).toArray()));
  }

  /** The {@code i}-th symbol. */
  public String symbol(int i) {
    if (i < 0 || i >= symbolCount) {
      throw uncheckedCorrupt("symbol reference " + i + " out of range (" + symbolCount + ")");
    }
    Decbuf d = new Decbuf(seg, symbolOffsets[i / SAMPLE], seg.byteSize());
    for (int k = i % SAMPLE; k > 0; k--) {
      d.skipUvarintStr();
    }
    return d.readUvarintStr();
  }

  /** Label names, sorted, without the all-postings key. */
  public List<String> labelNames() {
    List<String> out = new ArrayList<>(names.size());
    for (String n : names.keySet()) {
      if (!n.equals(IndexFormat.ALL_POSTINGS_NAME)) {
        out.add(n);
      }
    }
    return out;
  }

  @Override
  public List<String> labelValues(String name) {
    NameEntries e = names.get(name);
    if (e == null || name.equals(IndexFormat.ALL_POSTINGS_NAME)) {
      return List.of();
    }
    List<String> out = new ArrayList<>(e.count);
    Decbuf d = new Decbuf(seg, e.tableOffsets[0], seg.byteSize());
    for (int i = 0; i < e.count; i++) {
      d.readUvarint32();
      d.skipUvarintStr();
      out.add(d.readUvarintStr());
      d.readUvarint();
    }
    return out;
  }

  @Override
  public Postings postings(String name, String value) {
    NameEntries e = names.get(name);
    if (e == null) {
      return Postings.empty();
    }
    String[] vs = e.values;
    int i = Arrays.binarySearch(vs, value, Utf8Order.COMPARATOR);
    if (i >= 0) {
      return readPostings(e.postingsOffsets[i], name, value);
    }
    int before = -i - 2; // the sampled entry before where value would be
    if (before < 0 || before >= vs.length - 1) {
      return Postings.empty();
    }
    Decbuf d = new Decbuf(seg, e.tableOffsets[before], seg.byteSize());
    long stop = e.tableOffsets[before + 1];
    while (d.position() < stop) {
      d.readUvarint32();
      d.skipUvarintStr();
      String v = d.readUvarintStr();
      long off = d.readUvarint();
      int c = Utf8Order.compare(v, value);
      if (c == 0) {
        return readPostings(off, name, value);
      }
      if (c > 0) {
        break;
      }
    }
    return Postings.empty();
  }

  @Override
  public Postings allPostings() {
    return postings(IndexFormat.ALL_POSTINGS_NAME, IndexFormat.ALL_POSTINGS_VALUE);
  }

  private Postings readPostings(long off, String name, String value) {
    try {
      Decbuf d = section(off, "postings of " + name + "=" + value);
      int n = d.readBE32();
      if (d.remaining() != 4L * n) {
        throw uncheckedCorrupt("postings list at " + off + " has a wrong length");
      }
      return new SegmentPostings(seg, d.position(), n);
    } catch (CorruptDataException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Reads series {@code id}: its labels into the return value and its chunk metas into {@code
   * chunks} (cleared first).
   */
  public Labels series(long id, List<ChunkMeta> chunks) {
    long off = id * IndexFormat.SERIES_ALIGNMENT;
    try {
      Decbuf d = new Decbuf(seg, off, seg.byteSize());
      int len = d.readUvarint32();
      long start = d.position();
      d.limit(start + len + 4);
      checkCrc(start, start + len, "series " + id);
      d.limit(start + len);
      int nl = d.readUvarint32();
      String[] pairs = new String[2 * nl];
      for (int i = 0; i < 2 * nl; i++) {
        pairs[i] = symbol(d.readUvarint32());
      }
      int nc = d.readUvarint32();
      chunks.clear();
      long mint = 0;
      long maxt = 0;
      long ref = 0;
      for (int i = 0; i < nc; i++) {
        if (i == 0) {
          mint = d.readVarint();
          maxt = mint + d.readUvarint();
          ref = d.readUvarint();
        } else {
          mint = maxt + d.readUvarint();
          maxt = mint + d.readUvarint();
          ref += d.readVarint();
        }
        chunks.add(new ChunkMeta(ref, mint, maxt));
      }
      return Labels.ofSorted(pairs);
    } catch (Decbuf.DecodeException | IllegalArgumentException e) {
      throw uncheckedCorrupt("series " + id + " at offset " + off + ": " + e.getMessage());
    } catch (CorruptDataException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A section that starts with a 4-byte length and ends with a checksum, checked. */
  private Decbuf section(long off, String what) throws CorruptDataException {
    try {
      Decbuf d = new Decbuf(seg, off, seg.byteSize());
      long len = d.readBE32() & 0xffffffffL;
      long start = d.position();
      d.limit(start + len + 4);
      checkCrc(start, start + len, what);
      d.limit(start + len);
      return d;
    } catch (Decbuf.DecodeException e) {
      throw corrupt(what + " at " + off + ": " + e.getMessage(), e);
    }
  }

  private void checkCrc(long from, long to, String what) throws CorruptDataException {
    if (to + 4 > seg.byteSize()) {
      throw corrupt(what + " runs past the end of the file", null);
    }
    int want = seg.get(BE32, to);
    int got = Decbuf.crc32c(seg, from, to);
    if (want != got) {
      throw corrupt(
          what
              + " checksum mismatch at "
              + from
              + " (stored "
              + Integer.toHexString(want)
              + ", computed "
              + Integer.toHexString(got)
              + ")",
          null);
    }
  }

  private CorruptDataException corrupt(String msg, Throwable cause) {
    return new CorruptDataException("index " + file.path() + ": " + msg, cause);
  }

  private UncheckedIOException uncheckedCorrupt(String msg) {
    return new UncheckedIOException(corrupt(msg, null));
  }

  @Override
  public void close() {
    file.close();
  }
}
