package dev.stallwatch.pipeline.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The command line: {@code stallwatch <command> [--option=value ...]}. Exit status 0 when the job
 * ran (whatever its bad rows), 2 with one line on standard error for unusable arguments, 1 when the
 * job itself failed. Only this room turns errors into exit statuses.
 *
 * <p>A launcher configures it: commands of its own ({@link #with}), defaults decided after parsing
 * ({@link #withDefaults}) and the embedded default of {@code run} ({@link #withEmbeddedDefault}).
 */
public final class StallWatch {
  static final int OK = 0;
  static final int FAILED = 1;
  static final int USAGE = 2;

  private final PrintStream out;
  private final PrintStream err;
  private final Map<String, Command> commands = new LinkedHashMap<>();
  private final Map<String, List<LaunchDefault>> defaults = new LinkedHashMap<>();
  private final Map<String, List<java.util.function.Consumer<org.apache.beam.sdk.options.PipelineOptions>>> checks =
      new LinkedHashMap<>();
  private EmbeddedDefault embedded;
  private ClassroomEmbeddedDefault classroomEmbedded;
  private final ClassroomCommand classroom;

  public StallWatch(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
    commands.put("backfill", new BackfillCommand(this));
    commands.put("report", new ReportCommand(this));
    commands.put("run", new RunCommand(this));
    commands.put("generate", new GenerateCommand(this));
    commands.put("classroom", classroom = new ClassroomCommand(this));
  }

  public static void main(String[] args) {
    System.exit(new StallWatch(System.out, System.err).run(args));
  }

  /** Adds {@code command} under {@code name}; it shares the usage line, help and exit statuses. */
  public StallWatch with(String name, Command command) {
    commands.put(name, command);
    return this;
  }

  /** Adds {@code command} to the classroom family as {@code classroom name}. */
  public StallWatch withClassroom(String name, Command command) {
    classroom.add(name, command);
    return this;
  }

  /** Adds defaults to {@code command}'s, applied in order after parsing and shown by its help. */
  public StallWatch withDefaults(String command, List<LaunchDefault> added) {
    defaults.computeIfAbsent(command, c -> new ArrayList<>()).addAll(added);
    return this;
  }

  /**
   * Adds a check of {@code command}'s options once every default is applied; it throws {@link
   * UsageException} for a combination the command cannot run with.
   */
  public StallWatch withCheck(
      String command, java.util.function.Consumer<org.apache.beam.sdk.options.PipelineOptions> check) {
    checks.computeIfAbsent(command, c -> new ArrayList<>()).add(check);
    return this;
  }

  /** What {@code run} does without {@code --bootstrapServers}. */
  public StallWatch withEmbeddedDefault(EmbeddedDefault embeddedDefault) {
    this.embedded = embeddedDefault;
    return this;
  }

  /** What {@code classroom run} does without {@code --bootstrapServers}. */
  public StallWatch withClassroomEmbeddedDefault(ClassroomEmbeddedDefault embeddedDefault) {
    this.classroomEmbedded = embeddedDefault;
    return this;
  }

  ClassroomEmbeddedDefault classroomEmbedded() {
    return classroomEmbedded;
  }

  List<LaunchDefault> defaults(String command) {
    return defaults.getOrDefault(command, List.of());
  }

  EmbeddedDefault embedded() {
    return embedded;
  }

  /** Runs one command and answers its exit status. */
  public int run(String[] args) {
    if (args.length == 0 || isHelp(args[0]) || args[0].equals("help")) {
      out.print(Help.usage(commands));
      return args.length == 0 ? USAGE : OK;
    }
    String name = args[0];
    String[] rest = Arrays.copyOfRange(args, 1, args.length);
    Command command = commands.get(name);
    if (command == null) {
      err.println("stallwatch: unknown command '" + name + "' (try --help)");
      return USAGE;
    }
    if (command == classroom) {
      return classroom.run(rest, out, err);
    }
    try {
      if (Arrays.stream(rest).anyMatch(StallWatch::isHelp)) {
        out.print(help(name, command));
        return OK;
      }
      return command.run(rest, out, err);
    } catch (IllegalArgumentException e) {
      err.println("stallwatch " + name + ": " + firstLine(e.getMessage()));
      return USAGE;
    }
  }

  private String help(String name, Command command) {
    if (command instanceof OwnCommand) {
      return ((OwnCommand) command).help();
    }
    return Help.of(name, command.summary(), List.of(command.options()), defaults(name), List.of(), Map.of());
  }

  private static boolean isHelp(String arg) {
    return arg.equals("--help") || arg.equals("-h");
  }

  static String firstLine(String message) {
    if (message == null || message.isBlank()) {
      return "invalid arguments";
    }
    return message.lines().findFirst().orElse("").strip();
  }

  /** The innermost cause of a failed job, in one line. */
  static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return firstLine(t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage());
  }

  /**
   * Parses {@code args} for a command of a launcher's ({@code bench}), with the same one-line
   * errors as StallWatch's own commands.
   */
  public static <T extends org.apache.beam.sdk.options.PipelineOptions> T parseOptions(String[] args, Class<T> type) {
    Arguments.check(args, List.of(type), List.of());
    return Arguments.parse(args, type);
  }

  /** A command of StallWatch's own: it knows the launch, and writes its help from it. */
  abstract static class OwnCommand implements Command {
    final StallWatch cli;
    private final String name;

    OwnCommand(StallWatch cli, String name) {
      this.cli = cli;
      this.name = name;
    }

    /** Runs the launch's checks of this command on its defaulted {@code options}. */
    void check(org.apache.beam.sdk.options.PipelineOptions options) {
      cli.checks.getOrDefault(name, List.of()).forEach(c -> c.accept(options));
    }

    /** Options types besides {@link #options()}. */
    List<Class<? extends org.apache.beam.sdk.options.PipelineOptions>> moreOptions() {
      return List.of();
    }

    /** Defaults decided elsewhere than an option's annotation, by option. */
    Map<String, String> shownDefaults() {
      return Map.of();
    }

    /** The embedded default's defaults, for {@code run}. */
    List<LaunchDefault> embeddedDefaults() {
      return List.of();
    }

    String help() {
      List<Class<? extends org.apache.beam.sdk.options.PipelineOptions>> types = new ArrayList<>();
      types.add(options());
      types.addAll(moreOptions());
      return Help.of(name, summary(), types, cli.defaults(name), embeddedDefaults(), shownDefaults());
    }

    /** Checks and parses {@code args} into {@code type}, then applies the launch's defaults. */
    <T extends org.apache.beam.sdk.options.PipelineOptions> Parsed<T> parse(
        String[] args, Class<T> type, List<LaunchDefault> extraDefaults) {
      List<Class<? extends org.apache.beam.sdk.options.PipelineOptions>> types = new ArrayList<>();
      types.add(type);
      types.addAll(moreOptions());
      List<String> described = new ArrayList<>();
      List<LaunchDefault> all = new ArrayList<>(cli.defaults(name));
      all.addAll(embeddedDefaults());
      all.forEach(d -> described.add(d.option()));
      Arguments given = Arguments.check(args, types, described);
      T options = Arguments.parse(args, type);
      for (LaunchDefault d : cli.defaults(name)) {
        d.applyTo(options, given);
      }
      for (LaunchDefault d : extraDefaults) {
        d.applyTo(options, given);
      }
      return new Parsed<>(options, given);
    }
  }

  /** Parsed options and what the command line gave. */
  record Parsed<T>(T options, Arguments given) {}
}
