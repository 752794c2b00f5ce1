package io.meridian.cli;

import io.meridian.util.BuildInfo;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code meridian version}: what this build is and what it runs on, in Prometheus's layout. */
@Command(name = "version", description = "Print version, git revision and Java version.")
final class VersionCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    for (String line : lines()) {
      spec.commandLine().getOut().println(line);
    }
  }

  static String[] lines() {
    BuildInfo b = BuildInfo.current();
    String revision = b.revision() + (b.dirty() ? " (modified)" : "");
    Runtime.Version java = Runtime.version();
    return new String[] {
      "meridian, version " + b.version() + " (revision: " + revision + ")",
      "  build date:   " + b.buildDate(),
      "  java version: "
          + java
          + " ("
          + System.getProperty("java.vendor", "unknown vendor")
          + ", "
          + System.getProperty("java.home", "?")
          + ")",
      "  platform:     "
          + System.getProperty("os.name", "?").toLowerCase(Locale.ROOT)
          + "/"
          + System.getProperty("os.arch", "?"),
    };
  }

  /** Lets {@code meridian --version} print the same. */
  static final class Provider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return lines();
    }
  }
}
