package io.meridian.tsdb.index;

import io.meridian.model.Labels;
import io.meridian.tsdb.chunk.ChunkMeta;
import io.meridian.util.Encbuf;
import io.meridian.util.Utf8Order;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes a block's index in the layout of {@link IndexFormat}. Call {@link #addSymbols} once with
 * every string the series use, then {@link #addSeries} in label order, then {@link #close()}, which
 * writes label indices, postings, the offset tables and the TOC and syncs the file.
 *
 * <p>Postings are gathered in memory as series come (4 bytes per label of each series). Not
 * thread-safe.
 */
public final class IndexWriter implements Closeable {
  private final Path file;
  private final OutputStream out;
  private final Encbuf buf = new Encbuf(1 << 16);
  private long pos;

  private Map<String, Integer> symbols;
  private Labels lastSeries;
  private long lastChunkRef = -1;
  private final IntList allSeries = new IntList();
  private final TreeMap<String, TreeMap<String, IntList>> postings =
      new TreeMap<>(Utf8Order.COMPARATOR);
  private final long[] toc = new long[6];
  private boolean closed;

  public IndexWriter(Path file) throws IOException {
    this.file = file;
    this.out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
    buf.reset().putBE32(IndexFormat.MAGIC).putByte(IndexFormat.VERSION);
    flushBuf();
  }

  /**
   * Writes the symbol table.
   *
   * @param sorted every label name and value the series will use, unique, in UTF-8 order
   */
  public void addSymbols(List<String> sorted) throws IOException {
    if (symbols != null) {
      throw new IllegalStateException("symbols already written");
    }
    toc[0] = pos;
    symbols = HashMap.newHashMap(sorted.size());
    buf.reset().putBE32(0).putBE32(sorted.size());
    String prev = null;
    for (String s : sorted) {
      if (prev != null && Utf8Order.compare(prev, s) >= 0) {
        throw new IllegalArgumentException("symbols not sorted and unique at " + s);
      }
      symbols.put(s, symbols.size());
      buf.putUvarintStr(s);
      prev = s;
    }
    finishSection();
  }

  /**
   * Adds a series. Series must come in strictly ascending label order and their chunks in ascending
   * reference order, also across series.
   */
  public void addSeries(Labels labels, List<ChunkMeta> chunks) throws IOException {
    if (symbols == null) {
      throw new IllegalStateException("addSymbols must come first");
    }
    if (lastSeries != null && lastSeries.compareTo(labels) >= 0) {
      throw new IllegalArgumentException("series out of order: " + labels + " after " + lastSeries);
    }
    if (toc[1] == 0) {
      toc[1] = pos;
    }
    pad(IndexFormat.SERIES_ALIGNMENT);
    long id = pos / IndexFormat.SERIES_ALIGNMENT;
    if (id > 0xffffffffL) {
      throw new IOException("index " + file + " exceeds the series id space of format v2");
    }
    Encbuf body = new Encbuf(64 + labels.size() * 4 + chunks.size() * 12);
    body.putUvarint(labels.size());
    for (int i = 0; i < labels.size(); i++) {
      body.putUvarint(symbol(labels.name(i)));
      body.putUvarint(symbol(labels.value(i)));
      postings
          .computeIfAbsent(labels.name(i), k -> new TreeMap<>(Utf8Order.COMPARATOR))
          .computeIfAbsent(labels.value(i), k -> new IntList())
          .add((int) id);
    }
    allSeries.add((int) id);
    body.putUvarint(chunks.size());
    ChunkMeta prev = null;
    for (ChunkMeta c : chunks) {
      if (c.ref() <= lastChunkRef) {
        throw new IllegalArgumentException("chunk refs not ascending in " + labels);
      }
      if (prev == null) {
        body.putVarint(c.minTime());
        body.putUvarint(c.maxTime() - c.minTime());
        body.putUvarint(c.ref());
      } else {
        if (c.minTime() <= prev.maxTime()) {
          throw new IllegalArgumentException("chunks overlap in " + labels);
        }
        body.putUvarint(c.minTime() - prev.maxTime());
        body.putUvarint(c.maxTime() - c.minTime());
        body.putVarint(c.ref() - prev.ref());
      }
      lastChunkRef = c.ref();
      prev = c;
    }
    buf.reset().putUvarint(body.len()).putBytes(body.array(), 0, body.len());
    buf.putBE32(body.crc32c(0, body.len()));
    flushBuf();
    lastSeries = labels;
  }

  private int symbol(String s) {
    Integer i = symbols.get(s);
    if (i == null) {
      throw new IllegalArgumentException("string " + s + " missing from the symbol table");
    }
    return i;
  }

  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try (out) {
      if (symbols == null) {
        addSymbols(List.of());
      }
      writeLabelIndices();
      writePostings();
      writeOffsetTables();
      buf.reset();
      for (long t : toc) {
        buf.putBE64(t);
      }
      buf.putBE32(buf.crc32c(0, buf.len()));
      flushBuf();
      out.flush();
    }
    try (var ch =
        java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.WRITE)) {
      ch.force(true);
    }
  }

  private final List<String> labelIndexNames = new ArrayList<>();
  private final List<Long> labelIndexOffsets = new ArrayList<>();
  private final List<String[]> postingsKeys = new ArrayList<>();
  private final List<Long> postingsOffsets = new ArrayList<>();

  private void writeLabelIndices() throws IOException {
    toc[2] = postings.isEmpty() ? 0 : align(pos, IndexFormat.POSTINGS_ALIGNMENT);
    for (var e : postings.entrySet()) {
      pad(IndexFormat.POSTINGS_ALIGNMENT);
      labelIndexNames.add(e.getKey());
      labelIndexOffsets.add(pos);
      buf.reset().putBE32(0).putBE32(1).putBE32(e.getValue().size());
      for (String value : e.getValue().keySet()) {
        buf.putBE32(symbol(value));
      }
      finishSection();
    }
  }

  private void writePostings() throws IOException {
    toc[4] = align(pos, IndexFormat.POSTINGS_ALIGNMENT);
    writePostingsList(IndexFormat.ALL_POSTINGS_NAME, IndexFormat.ALL_POSTINGS_VALUE, allSeries);
    for (var byName : postings.entrySet()) {
      for (var byValue : byName.getValue().entrySet()) {
        writePostingsList(byName.getKey(), byValue.getKey(), byValue.getValue());
      }
    }
  }

  private void writePostingsList(String name, String value, IntList ids) throws IOException {
    pad(IndexFormat.POSTINGS_ALIGNMENT);
    postingsKeys.add(new String[] {name, value});
    postingsOffsets.add(pos);
    buf.reset().putBE32(0).putBE32(ids.size());
    for (int i = 0; i < ids.size(); i++) {
      buf.putBE32(ids.get(i));
    }
    finishSection();
  }

  private void writeOffsetTables() throws IOException {
    toc[3] = labelIndexNames.isEmpty() ? 0 : pos;
    if (!labelIndexNames.isEmpty()) {
      buf.reset().putBE32(0).putBE32(labelIndexNames.size());
      for (int i = 0; i < labelIndexNames.size(); i++) {
        buf.putUvarint(1)
            .putUvarintStr(labelIndexNames.get(i))
            .putUvarint(labelIndexOffsets.get(i));
      }
      finishSection();
    }
    toc[5] = pos;
    buf.reset().putBE32(0).putBE32(postingsKeys.size());
    for (int i = 0; i < postingsKeys.size(); i++) {
      String[] k = postingsKeys.get(i);
      buf.putUvarint(2).putUvarintStr(k[0]).putUvarintStr(k[1]).putUvarint(postingsOffsets.get(i));
    }
    finishSection();
  }

  /** Fills in the 4-byte length at the start of buf, appends the checksum and writes it. */
  private void finishSection() throws IOException {
    int len = buf.len() - 4;
    buf.setBE32(0, len);
    buf.putBE32(buf.crc32c(4, 4 + len));
    flushBuf();
  }

  private void pad(int alignment) throws IOException {
    long target = align(pos, alignment);
    while (pos < target) {
      out.write(0);
      pos++;
    }
  }

  private static long align(long p, int alignment) {
    return (p + alignment - 1) / alignment * alignment;
  }

  private void flushBuf() throws IOException {
    out.write(buf.array(), 0, buf.len());
    pos += buf.len();
  }

  /** A growable list of ints. */
  static final class IntList {
    private int[] a = new int[4];
    private int n;

    void add(int v) {
      if (n == a.length) {
        a = Arrays.copyOf(a, n * 2);
      }
      a[n++] = v;
    }

    int get(int i) {
      return a[i];
    }

    int size() {
      return n;
    }
  }
}
