package io.meridian.storage;

import java.io.IOException;

/** A store that answers sample-level queries. */
public interface Queryable {

  /**
   * Opens a querier over the samples with {@code mint <= t <= maxt} (both inclusive). It sees what
   * was committed before this call and possibly some of what is committed while it is open; never
   * part of an uncommitted batch. The caller closes it.
   *
   * @throws IOException if the store cannot be read
   */
  Querier querier(long mint, long maxt) throws IOException;
}
