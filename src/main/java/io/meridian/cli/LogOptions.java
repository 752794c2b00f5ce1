package io.meridian.cli;

import java.util.Map;
import picocli.CommandLine.Option;

/** {@code --log.level} and {@code --log.format}, as every long-running role takes them. */
final class LogOptions {
  @Option(
      names = "--log.level",
      defaultValue = "info",
      description = "Only log messages with this severity or above: debug, info, warn, error.")
  String level;

  @Option(
      names = "--log.format",
      defaultValue = "logfmt",
      description = "Output format of log messages: logfmt or json.")
  String format;

  /**
   * Configures logging.
   *
   * @throws IllegalArgumentException for an unknown level or format
   */
  void apply() {
    LogFormat.apply(level, format);
  }

  /** Adds both flags to a status page's flag map. */
  void addTo(Map<String, String> flags) {
    flags.put("log.level", level);
    flags.put("log.format", format);
  }
}
