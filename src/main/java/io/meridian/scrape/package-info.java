/**
 * Target pools and scrape loops: fetching, limits, staleness markers and appending what was
 * scraped.
 */
package io.meridian.scrape;
