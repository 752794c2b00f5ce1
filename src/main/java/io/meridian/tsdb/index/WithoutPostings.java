package io.meridian.tsdb.index;

/** Ids of one list that are not in another. */
final class WithoutPostings implements Postings {
  private final Postings full;
  private final Postings drop;
  private boolean dropExhausted;
  private boolean dropStarted;

  WithoutPostings(Postings full, Postings drop) {
    this.full = full;
    this.drop = drop;
  }

  @Override
  public boolean next() {
    return full.next() && skipDropped();
  }

  @Override
  public boolean seek(long v) {
    return full.seek(v) && skipDropped();
  }

  private boolean skipDropped() {
    while (true) {
      long id = full.at();
      if (!dropExhausted) {
        if (!dropStarted || drop.at() < id) {
          dropStarted = true;
          dropExhausted = !drop.seek(id);
        }
      }
      if (dropExhausted || drop.at() != id) {
        return true;
      }
      if (!full.next()) {
        return false;
      }
    }
  }

  @Override
  public long at() {
    return full.at();
  }
}
