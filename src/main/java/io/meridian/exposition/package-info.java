/** Parsing and writing the text exposition formats: Prometheus text 0.0.4 and OpenMetrics 1.0. */
package io.meridian.exposition;
