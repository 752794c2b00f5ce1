package io.meridian.storage;

import java.io.Closeable;

/**
 * A whole store: takes samples and answers at sample and chunk level. The TSDB, a tenant's store on
 * the receiver and the agent's WAL-only store are storages.
 */
public interface Storage extends AppendableStore, Queryable, ChunkQueryable, Closeable {}
