package io.meridian.remote;

/** Remote write bodies built field by field, for tests. */
final class WriteRequests {
  private WriteRequests() {}

  /** A 1.0 time series: label pairs, then (t, v) pairs. */
  static void seriesV1(ProtoWriter w, String[] labels, double... timesAndValues) {
    int ts = w.begin(1);
    for (int i = 0; i < labels.length; i += 2) {
      int l = w.begin(1);
      w.stringField(1, labels[i]).stringField(2, labels[i + 1]);
      w.end(l);
    }
    for (int i = 0; i < timesAndValues.length; i += 2) {
      int s = w.begin(2);
      w.doubleField(1, timesAndValues[i + 1]).varintField(2, (long) timesAndValues[i]);
      w.end(s);
    }
    w.end(ts);
  }

  static byte[] snappy(ProtoWriter w) {
    return snappy(w.toByteArray());
  }

  static byte[] snappy(byte[] raw) {
    return SnappyBlock.compress(raw, raw.length);
  }
}
