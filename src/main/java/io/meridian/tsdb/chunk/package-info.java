/** Chunk encodings of the Prometheus TSDB (XOR for floats) and chunk segment files. */
package io.meridian.tsdb.chunk;
