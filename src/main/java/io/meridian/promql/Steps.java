package io.meridian.promql;

/** The evaluation times: start, start+step, ... end; one time for an instant query. */
record Steps(long start, long end, long step, int count) {
  static Steps of(long start, long end, long step) {
    int n = step <= 0 ? 1 : (int) ((end - start) / step) + 1;
    return new Steps(start, end, step <= 0 ? 1 : step, n);
  }

  long time(int i) {
    return start + i * step;
  }
}
