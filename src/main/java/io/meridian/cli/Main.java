package io.meridian.cli;

import java.io.BufferedWriter;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code meridian} command: one subcommand per role or tool. */
@Command(
    name = "meridian",
    mixinStandardHelpOptions = true,
    versionProvider = VersionCommand.Provider.class,
    description = "Prometheus-compatible monitoring for many Kubernetes clusters.",
    subcommands = {
      AgentCommand.class,
      CheckCommand.class,
      DemoCommand.class,
      PromqlCommand.class,
      ReceiveCommand.class,
      ServerCommand.class,
      TsdbCommand.class,
      VersionCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    // A large buffer on stdout: dumps and exports run to millions of lines.
    PrintWriter out =
        new PrintWriter(
            new BufferedWriter(
                new OutputStreamWriter(
                    new FileOutputStream(FileDescriptor.out), StandardCharsets.UTF_8),
                1 << 16));
    CommandLine cl = commandLine();
    cl.setOut(out);
    int code = cl.execute(args);
    out.flush();
    System.exit(code);
  }

  static CommandLine commandLine() {
    return new CommandLine(new Main());
  }

  @Override
  public void run() {
    // No subcommand given: say what there is.
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
