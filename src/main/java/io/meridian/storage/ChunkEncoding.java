package io.meridian.storage;

/**
 * Chunk encodings, with the one-byte codes of the Prometheus TSDB chunk format (also used by remote
 * read's streamed chunks).
 */
public enum ChunkEncoding {
  /** Gorilla-style floats: delta-of-delta timestamps, XOR-compressed values. */
  XOR(1);

  private final int code;

  ChunkEncoding(int code) {
    this.code = code;
  }

  /** The code written on disk and on the wire. */
  public int code() {
    return code;
  }

  /**
   * The encoding for a code.
   *
   * @throws IllegalArgumentException for codes Meridian does not read (native histogram chunks, 2
   *     and 3, among them), naming the code
   */
  public static ChunkEncoding ofCode(int code) {
    for (ChunkEncoding e : values()) {
      if (e.code == code) {
        return e;
      }
    }
    throw new IllegalArgumentException("unsupported chunk encoding " + code);
  }
}
