package io.meridian.tsdb.head;

import io.meridian.tsdb.wal.Records;
import io.meridian.tsdb.wal.Wal;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Logs each commit to the WAL: a series record for new series, then a samples record. */
public final class WalJournal implements Journal {
  private final Wal wal;

  public WalJournal(Wal wal) {
    this.wal = wal;
  }

  @Override
  public void log(PendingSeries series, PendingSamples samples) throws IOException {
    List<byte[]> records = new ArrayList<>(2);
    if (series.size() > 0) {
      List<Records.RefSeries> rs = new ArrayList<>(series.size());
      for (int i = 0; i < series.size(); i++) {
        rs.add(new Records.RefSeries(series.ref(i), series.labels(i)));
      }
      records.add(Records.encodeSeries(rs));
    }
    if (samples.size() > 0) {
      records.add(Records.encodeSamples(samples.batch(), samples.scratch().reset()).toByteArray());
    }
    if (!records.isEmpty()) {
      wal.log(records);
    }
  }

  @Override
  public void logTombstones(List<Records.Tombstone> tombstones) throws IOException {
    wal.log(List.of(Records.encodeTombstones(tombstones)));
  }
}
