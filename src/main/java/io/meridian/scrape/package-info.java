/**
 * Target pools and scrape loops: fetching, limits, staleness markers and appending what was
 * scraped.
 *
 * <p>{@link io.meridian.scrape.Targets} turns a job's static and discovered target groups into
 * {@link io.meridian.scrape.Target}s (Prometheus's target label rules and {@code relabel_configs});
 * a {@link io.meridian.scrape.ScrapeLoop} stores one target's scrapes and schedules them; a {@link
 * io.meridian.scrape.ScrapePool} runs the loops of one job and a {@link
 * io.meridian.scrape.ScrapeManager} the pools and discoverers of a config, syncing a pool when its
 * discovered groups change; {@link io.meridian.scrape.TargetScraper} fetches over HTTP(S).
 */
package io.meridian.scrape;
