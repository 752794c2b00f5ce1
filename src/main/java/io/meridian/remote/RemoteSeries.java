package io.meridian.remote;

import io.meridian.model.Labels;
import io.meridian.storage.ArraySampleIterator;
import io.meridian.storage.Chunk;
import io.meridian.storage.ChunkIterator;
import io.meridian.storage.ChunkSampleIterator;
import io.meridian.storage.ChunkSeries;
import io.meridian.storage.SampleIterator;
import io.meridian.storage.Series;
import io.meridian.tsdb.chunk.XorEncoder;
import java.util.ArrayList;
import java.util.List;

/**
 * A series from a remote read answer, decoded and checked when the answer arrived (samples in
 * order, chunks whole and in order), so iterating it later cannot fail. It serves both views: the
 * sample view for queries and the chunk view for a remote read endpoint that passes it on.
 */
sealed interface RemoteSeries extends Series, ChunkSeries {

  /** The same data under other labels (after the external labels are taken off). */
  RemoteSeries withLabels(Labels labels);

  /** A {@code SAMPLES} answer's series: its samples in the query's range, in time order. */
  final class Samples implements RemoteSeries {
    /** Prometheus cuts chunks at 120 samples; the chunk view does the same. */
    private static final int SAMPLES_PER_CHUNK = 120;

    private final Labels labels;
    private final long[] ts;
    private final double[] vs;

    Samples(Labels labels, long[] ts, double[] vs) {
      this.labels = labels;
      this.ts = ts;
      this.vs = vs;
    }

    @Override
    public Labels labels() {
      return labels;
    }

    @Override
    public RemoteSeries withLabels(Labels l) {
      return new Samples(l, ts, vs);
    }

    @Override
    public SampleIterator iterator(SampleIterator reuse) {
      ArraySampleIterator it =
          reuse instanceof ArraySampleIterator a ? a : new ArraySampleIterator();
      return it.reset(ts, vs);
    }

    @Override
    public ChunkIterator chunks(ChunkIterator reuse) {
      List<Chunk> chunks = new ArrayList<>();
      int n = (ts.length + SAMPLES_PER_CHUNK - 1) / SAMPLES_PER_CHUNK;
      long[] min = new long[n];
      long[] max = new long[n];
      for (int c = 0; c < n; c++) {
        XorEncoder enc = new XorEncoder();
        int from = c * SAMPLES_PER_CHUNK;
        int to = Math.min(ts.length, from + SAMPLES_PER_CHUNK);
        for (int i = from; i < to; i++) {
          enc.append(ts[i], vs[i]);
        }
        chunks.add(enc.toChunk());
        min[c] = ts[from];
        max[c] = ts[to - 1];
      }
      return new ListChunkIterator(chunks.toArray(Chunk[]::new), min, max);
    }
  }

  /**
   * A streamed answer's series: XOR chunks, ordered and not overlapping, whose samples are trimmed
   * to the query's range when read (chunks are whole and may reach past it).
   */
  final class Chunks implements RemoteSeries {
    private final Labels labels;
    private final Chunk[] chunks;
    private final long[] minTimes;
    private final long[] maxTimes;
    private final long mint;
    private final long maxt;

    Chunks(Labels labels, Chunk[] chunks, long[] minTimes, long[] maxTimes, long mint, long maxt) {
      this.labels = labels;
      this.chunks = chunks;
      this.minTimes = minTimes;
      this.maxTimes = maxTimes;
      this.mint = mint;
      this.maxt = maxt;
    }

    @Override
    public Labels labels() {
      return labels;
    }

    @Override
    public RemoteSeries withLabels(Labels l) {
      return new Chunks(l, chunks, minTimes, maxTimes, mint, maxt);
    }

    @Override
    public SampleIterator iterator(SampleIterator reuse) {
      ChunkSampleIterator it =
          reuse instanceof ChunkSampleIterator c ? c : new ChunkSampleIterator();
      return it.reset(chunks(null), mint, maxt);
    }

    @Override
    public ChunkIterator chunks(ChunkIterator reuse) {
      return new ListChunkIterator(chunks, minTimes, maxTimes);
    }
  }
}
