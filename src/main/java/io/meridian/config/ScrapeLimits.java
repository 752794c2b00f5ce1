package io.meridian.config;

/**
 * Per-scrape limits; 0 is no limit. A scrape config's zero fields take the global value.
 *
 * @param bodySizeLimit bytes of uncompressed body
 */
public record ScrapeLimits(
    long sampleLimit,
    long targetLimit,
    long labelLimit,
    long labelNameLengthLimit,
    long labelValueLengthLimit,
    long bodySizeLimit) {

  public static final ScrapeLimits NONE = new ScrapeLimits(0, 0, 0, 0, 0, 0);

  /** These limits with each unset (0) one taken from {@code global}. */
  public ScrapeLimits orElse(ScrapeLimits global) {
    return new ScrapeLimits(
        or(sampleLimit, global.sampleLimit),
        or(targetLimit, global.targetLimit),
        or(labelLimit, global.labelLimit),
        or(labelNameLengthLimit, global.labelNameLengthLimit),
        or(labelValueLengthLimit, global.labelValueLengthLimit),
        or(bodySizeLimit, global.bodySizeLimit));
  }

  private static long or(long v, long dflt) {
    return v != 0 ? v : dflt;
  }
}
