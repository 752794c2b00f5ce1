package io.meridian.tsdb.wal;

/**
 * How the writer compresses records. Readers decompress whatever each record's flags say, whichever
 * setting wrote it.
 *
 * <p>Prometheus 2.42 reads {@link #NONE} and {@link #SNAPPY} ({@code
 * --storage.tsdb.wal-compression}); it does not know the zstd flag and would misread {@link #ZSTD}
 * records, which only later Prometheus versions read.
 */
public enum Compression {
  NONE(0),
  SNAPPY(WalFormat.SNAPPY_FLAG),
  ZSTD(WalFormat.ZSTD_FLAG);

  private final int flag;

  Compression(int flag) {
    this.flag = flag;
  }

  /** The fragment type bit that marks a record compressed this way. */
  int flag() {
    return flag;
  }
}
