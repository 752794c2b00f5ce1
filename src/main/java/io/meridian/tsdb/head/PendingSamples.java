package io.meridian.tsdb.head;

import io.meridian.tsdb.wal.Records;
import io.meridian.util.Encbuf;
import java.util.Arrays;

/**
 * The samples of a batch: the WAL's sample batch (refs, times, values as primitive arrays) plus the
 * series each belongs to, so the append path stores no object per sample and the journal encodes
 * straight from it. Pooled by the head and reused across batches; not thread-safe.
 */
public final class PendingSamples {
  private final Records.SampleBatch batch = new Records.SampleBatch(256);
  private MemSeries[] series = new MemSeries[256];

  /** Scratch space for the journal's encoding, reused with the batch. */
  final Encbuf scratch = new Encbuf(4096);

  void add(MemSeries s, long t, double v) {
    int i = batch.size;
    if (i == series.length) {
      series = Arrays.copyOf(series, i * 2);
    }
    series[i] = s;
    batch.add(s.ref, t, v);
  }

  /** Samples it can hold without growing. */
  int capacity() {
    return series.length;
  }

  void clear() {
    Arrays.fill(series, 0, batch.size, null);
    batch.clear();
  }

  MemSeries series(int i) {
    return series[i];
  }

  /** The samples as the WAL encodes them. */
  public Records.SampleBatch batch() {
    return batch;
  }

  /** Reusable buffer for encoding this batch. */
  public Encbuf scratch() {
    return scratch;
  }

  public int size() {
    return batch.size;
  }

  public long ref(int i) {
    return batch.refs[i];
  }

  public long t(int i) {
    return batch.ts[i];
  }

  public double v(int i) {
    return batch.vs[i];
  }
}
