/**
 * The Prometheus TSDB index format v2: symbols, series, postings, postings offset table and TOC;
 * postings lists and their intersection.
 */
package io.meridian.tsdb.index;
