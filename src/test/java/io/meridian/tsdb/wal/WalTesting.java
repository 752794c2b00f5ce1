package io.meridian.tsdb.wal;

import io.meridian.testing.SeededRandom;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** What the WAL tests share: reading everything back, making records, damaging files. */
final class WalTesting {
  private WalTesting() {}

  /** A record as read back, with where it was. */
  static final class Read {
    private final int segment;
    private final long offset;
    private final byte[] bytes;

    Read(int segment, long offset, byte[] bytes) {
      this.segment = segment;
      this.offset = offset;
      this.bytes = bytes;
    }

    int segment() {
      return segment;
    }

    long offset() {
      return offset;
    }

    byte[] bytes() {
      return bytes;
    }
  }

  static List<Read> readAll(Path dir) throws IOException {
    return readAll(dir, 0, Integer.MAX_VALUE);
  }

  static List<Read> readAll(Path dir, int from, int to) throws IOException {
    List<Read> out = new ArrayList<>();
    try (WalReader r = WalReader.open(dir, from, to)) {
      while (r.next()) {
        out.add(new Read(r.segment(), r.offset(), bytes(r.record())));
      }
    }
    return out;
  }

  static List<byte[]> payloads(List<Read> reads) {
    return reads.stream().map(Read::bytes).toList();
  }

  static byte[] bytes(ByteBuffer b) {
    byte[] out = new byte[b.remaining()];
    b.get(b.position(), out);
    return out;
  }

  /** A record of {@code n} bytes, compressible half of the time. */
  static byte[] record(SeededRandom random, int n) {
    byte[] b = new byte[n];
    if (random.nextBoolean()) {
      random.nextBytes(b);
    } else {
      for (int i = 0; i < n; i++) {
        b[i] = (byte) ('a' + (i / 7 + n) % 5);
      }
    }
    return b;
  }

  /** A record of {@code n} bytes no compressor can shrink. */
  static byte[] incompressible(SeededRandom random, int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }

  /** A record of {@code n} bytes every compressor shrinks. */
  static byte[] compressible(int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) ('x' + i % 3);
    }
    return b;
  }

  static Path segment(Path dir, int index) {
    return dir.resolve(WalFormat.segmentName(index));
  }

  static void flipByte(Path file, long offset) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.seek(offset);
      int b = f.read();
      f.seek(offset);
      f.write(b ^ 0x5a);
    }
  }

  static void writeByte(Path file, long offset, int value) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.seek(offset);
      f.write(value);
    }
  }

  static void truncate(Path file, long size) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.setLength(size);
    }
  }
}
