package io.meridian.config;

import io.meridian.config.YamlNode.Mark;
import java.nio.file.Path;
import java.util.Map;

/**
 * The file being read: its name as the user gave it (for messages), its directory (relative paths
 * in the config are resolved against it, as Prometheus does), and the environment that {@code
 * external_labels} values expand from.
 */
record Source(String file, Path dir, Map<String, String> env) {

  ConfigException error(Mark at, String field, String detail) {
    return new ConfigException(file, at.line(), at.column(), field, detail);
  }

  /**
   * {@code path} joined to the config's directory unless it is empty or absolute, as Prometheus's
   * {@code JoinDir}.
   */
  String resolve(String path) {
    if (path.isEmpty() || Path.of(path).isAbsolute()) {
      return path;
    }
    return dir.resolve(path).toString();
  }
}
