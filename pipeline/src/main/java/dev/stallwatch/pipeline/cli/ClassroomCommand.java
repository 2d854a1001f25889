package dev.stallwatch.pipeline.cli;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * {@code stallwatch classroom <command>}: the classroom analytics family (CLASSROOM.md C1, C3, C4,
 * C5) under commands of its own — {@code backfill}, {@code run}, {@code generate} — with the same
 * help, one-line errors and exit statuses as the stall commands. Each sub-command is an {@link
 * StallWatch.OwnCommand} named {@code classroom NAME}, the name a launcher gives its defaults under.
 */
final class ClassroomCommand implements Command {
  private final Map<String, Command> commands = new LinkedHashMap<>();

  ClassroomCommand(StallWatch cli) {
    commands.put("backfill", new ClassroomBackfillCommand(cli));
    commands.put("run", new ClassroomRunCommand(cli));
    commands.put("generate", new ClassroomGenerateCommand(cli));
  }

  /** Adds {@code command} as {@code classroom name}. */
  void add(String name, Command command) {
    commands.put(name, command);
  }

  @Override
  public String summary() {
    return "the classroom analytics jobs: " + String.join(", ", commands.keySet()) + " (try classroom --help)";
  }

  @Override
  public Class<? extends PipelineOptions> options() {
    return PipelineOptions.class;
  }

  /** The command list of {@code stallwatch classroom --help}. */
  String usage() {
    StringBuilder sb =
        new StringBuilder("usage: stallwatch classroom <command> [--option=value ...]\n\n")
            .append("The classroom analytics jobs (CLASSROOM.md): C1 signal cleaning, C3 classroom performance\n")
            .append("per minute, C4 recorded-course duration and C5 live audio/video quality per 30 seconds.\n\n")
            .append("Commands:\n");
    commands.forEach((name, c) -> sb.append(String.format("  %-10s %s%n", name, c.summary())));
    return sb.append("\nRun 'stallwatch classroom <command> --help' for the options of a command;")
        .append(" docs/CLASSROOM.md describes the jobs.\n")
        .toString();
  }

  @Override
  public int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help")) {
      out.print(usage());
      return args.length == 0 ? StallWatch.USAGE : StallWatch.OK;
    }
    Command command = commands.get(args[0]);
    if (command == null) {
      err.println("stallwatch classroom: unknown command '" + args[0] + "' (try classroom --help)");
      return StallWatch.USAGE;
    }
    String[] rest = Arrays.copyOfRange(args, 1, args.length);
    try {
      if (Arrays.stream(rest).anyMatch(a -> a.equals("--help") || a.equals("-h"))) {
        out.print(
            command instanceof StallWatch.OwnCommand own
                ? own.help()
                : Help.of("classroom " + args[0], command.summary(), java.util.List.of(command.options()),
                    java.util.List.of(), java.util.List.of(), Map.of()));
        return StallWatch.OK;
      }
      return command.run(rest, out, err);
    } catch (IllegalArgumentException e) {
      err.println("stallwatch classroom " + args[0] + ": " + StallWatch.firstLine(e.getMessage()));
      return StallWatch.USAGE;
    }
  }
}
