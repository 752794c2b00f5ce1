package io.meridian.cli;

import io.meridian.config.ByteSize;
import io.meridian.remote.QueueManager;
import io.meridian.util.PromDuration;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** The flags bounding what a remote write queue holds back and waits for, for server and agent. */
final class BacklogOptions {
  @Option(
      names = "--storage.remote.max-backlog-size",
      defaultValue = "0",
      description =
          "WAL bytes kept for a remote_write endpoint that is behind (down); beyond it the oldest"
              + " segments are dropped unsent and counted. 0 is no limit but the age.")
  String maxBacklogSize;

  @Option(
      names = "--storage.remote.max-backlog-age",
      defaultValue = "24h",
      description =
          "Samples a remote_write endpoint has not taken within this long are dropped with their"
              + " WAL segment and counted.")
  String maxBacklogAge;

  @Option(
      names = "--storage.remote.flush-deadline",
      defaultValue = "10s",
      description =
          "How long a stop (or reload) waits for queued samples to be sent; what is left is sent"
              + " at the next start, from the saved position.")
  String flushDeadline;

  /** The queue options these flags give; a bad value is a usage error naming the flag. */
  QueueManager.Options options(CommandLine cmd) {
    long bytes;
    java.time.Duration age;
    java.time.Duration flush;
    try {
      bytes = ByteSize.parse(maxBacklogSize);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(
          cmd, "invalid value for --storage.remote.max-backlog-size: " + e.getMessage());
    }
    try {
      age = PromDuration.parse(maxBacklogAge);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(
          cmd, "invalid value for --storage.remote.max-backlog-age: " + e.getMessage());
    }
    try {
      flush = PromDuration.parse(flushDeadline);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(
          cmd, "invalid value for --storage.remote.flush-deadline: " + e.getMessage());
    }
    return new QueueManager.Options(bytes, age, flush, QueueManager.Options.DEFAULT.pollMillis());
  }

  void addTo(Map<String, String> flags) {
    flags.put("storage.remote.max-backlog-size", maxBacklogSize);
    flags.put("storage.remote.max-backlog-age", maxBacklogAge);
    flags.put("storage.remote.flush-deadline", flushDeadline);
  }
}
