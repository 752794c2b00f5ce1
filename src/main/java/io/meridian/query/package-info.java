/**
 * The global view: PromQL over many stores, high-availability replica dedup and partial responses.
 */
package io.meridian.query;
