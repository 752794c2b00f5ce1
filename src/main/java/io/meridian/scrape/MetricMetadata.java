package io.meridian.scrape;

/**
 * What a target said about one metric family in its {@code # TYPE}, {@code # HELP} and {@code #
 * UNIT} lines, as {@code /api/v1/metadata} serves it.
 *
 * @param type {@code counter}, {@code gauge}, ... or {@code unknown} when only HELP or UNIT came
 * @param help "" when none came
 * @param unit "" when none came
 */
public record MetricMetadata(String family, String type, String help, String unit) {}
