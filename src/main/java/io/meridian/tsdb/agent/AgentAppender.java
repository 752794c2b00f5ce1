package io.meridian.tsdb.agent;

import io.meridian.model.Labels;
import io.meridian.storage.Appender;
import io.meridian.storage.SampleRejectedException;
import io.meridian.storage.SampleRejectedException.Reason;
import io.meridian.tsdb.wal.Records;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A batch for the agent's WAL: new series and samples become one series record and one samples
 * record at commit. Samples are judged against the series' newest committed timestamp (out of
 * order, duplicate), as the head judges them.
 */
final class AgentAppender implements Appender {
  private final AgentDb db;
  private final List<Records.RefSeries> newSeries = new ArrayList<>();
  private final Records.SampleBatch samples = new Records.SampleBatch();
  private final List<AgentSeries> touched = new ArrayList<>();
  private final boolean[] created = new boolean[1];
  private boolean done;

  AgentAppender(AgentDb db) {
    this.db = db;
  }

  @Override
  public long append(long ref, Labels labels, long t, double v) throws SampleRejectedException {
    if (done) {
      throw new IllegalStateException("appender already committed or rolled back");
    }
    AgentSeries s = ref != 0 ? db.byRef(ref) : null;
    if (s == null) {
      if (labels.isEmpty()) {
        throw new IllegalArgumentException("empty labels");
      }
      created[0] = false;
      s = db.getOrCreate(labels, created);
      if (created[0]) {
        newSeries.add(new Records.RefSeries(s.ref, s.labels));
      }
    }
    long last = s.lastT;
    if (t < last) {
      db.outOfOrder.increment();
      throw SampleRejectedException.of(Reason.OUT_OF_ORDER);
    }
    if (t == last) {
      return s.ref; // the same timestamp again: scraping twice is harmless, nothing to log
    }
    samples.add(s.ref, t, v);
    touched.add(s);
    return s.ref;
  }

  @Override
  public Labels sharedLabels(long ref) {
    AgentSeries s = db.byRef(ref);
    return s == null ? null : s.labels;
  }

  @Override
  public void commit() throws IOException {
    if (done) {
      throw new IllegalStateException("appender already committed or rolled back");
    }
    done = true;
    if (newSeries.isEmpty() && samples.size == 0) {
      return;
    }
    List<byte[]> records = new ArrayList<>(2);
    if (!newSeries.isEmpty()) {
      records.add(Records.encodeSeries(newSeries));
    }
    long maxT = Long.MIN_VALUE;
    if (samples.size > 0) {
      records.add(Records.encodeSamples(samples));
      for (int i = 0; i < samples.size; i++) {
        maxT = Math.max(maxT, samples.ts[i]);
      }
    }
    db.log(records, maxT);
    for (int i = 0; i < samples.size; i++) {
      AgentSeries s = touched.get(i);
      if (samples.ts[i] > s.lastT) {
        s.lastT = samples.ts[i];
      }
    }
    db.samplesAppended.add(samples.size);
  }

  /**
   * Discards the samples. New series stay known to the store whatever the batch does, so their
   * record is still logged, or later samples would name refs the WAL never defined.
   */
  @Override
  public void rollback() {
    if (done) {
      return;
    }
    done = true;
    if (!newSeries.isEmpty()) {
      try {
        db.log(List.of(Records.encodeSeries(newSeries)), Long.MIN_VALUE);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException("logging series of a rolled back batch", e);
      }
    }
  }
}
