package io.meridian.promql.script;

import java.util.List;

/**
 * A read test script: its name (the file name, for messages) and its commands in order.
 *
 * @param name what messages call the script, usually its file name
 */
public record Script(String name, List<Command> commands) {
  public Script {
    commands = List.copyOf(commands);
  }

  /** The script's {@code eval} commands, in order. */
  public List<Command.Eval> evals() {
    return commands.stream()
        .filter(c -> c instanceof Command.Eval)
        .map(c -> (Command.Eval) c)
        .toList();
  }
}
