package dev.stallwatch.pipeline;

import dev.stallwatch.domain.Blacklist;
import dev.stallwatch.domain.ChannelNames;
import dev.stallwatch.domain.StallConfig;
import dev.stallwatch.parse.DimensionCsv;
import dev.stallwatch.parse.RowParser;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.Compression;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * The command line: {@code stallwatch <command> [--option=value ...]}. Exit status 0 when the job
 * ran (whatever its bad rows), 2 with one line on standard error for unusable arguments, 1 when the
 * job itself failed.
 */
public final class StallWatch {
  static final int OK = 0;
  static final int FAILED = 1;
  static final int USAGE = 2;

  private final PrintStream out;
  private final PrintStream err;
  private final Map<String, Command> extra = new LinkedHashMap<>();

  public StallWatch(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  /**
   * A command that a bundle adds to the pipeline's own (the bundled jar adds {@code bench}, which
   * needs both runners). It shares the pipeline's usage line, {@code --help} and exit statuses.
   */
  public interface Command {
    /** One line for the command list. */
    String summary();

    /** The options {@code --help} lists. */
    Class<? extends org.apache.beam.sdk.options.PipelineOptions> options();

    /** Runs the command; throws {@link UsageException} for unusable arguments. */
    int run(String[] args, PrintStream out, PrintStream err);
  }

  /** Adds {@code command} under {@code name}. */
  public StallWatch with(String name, Command command) {
    extra.put(name, command);
    return this;
  }

  public static void main(String[] args) {
    System.exit(new StallWatch(System.out, System.err).run(args));
  }

  /** An argument the job cannot run with; its message is the one line the user sees. */
  public static final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UsageException(String message) {
      super(message);
    }
  }

  /** Runs one command and answers its exit status. */
  public int run(String[] args) {
    if (args.length == 0 || isHelp(args[0]) || args[0].equals("help")) {
      out.print(usage(extra));
      return args.length == 0 ? USAGE : OK;
    }
    String command = args[0];
    String[] rest = Arrays.copyOfRange(args, 1, args.length);
    try {
      switch (command) {
        case "backfill":
          if (Arrays.stream(rest).anyMatch(StallWatch::isHelp)) {
            out.print(help("backfill", "Computes the alerts of a dump of the application table.", BackfillOptions.class));
            return OK;
          }
          return backfill(rest);
        case "run":
          if (Arrays.stream(rest).anyMatch(StallWatch::isHelp)) {
            out.print(help("run", "Runs the streaming job: Kafka in, alerts to the route topics.", RunOptions.class));
            return OK;
          }
          return runStreaming(rest);
        case "generate":
          if (Arrays.stream(rest).anyMatch(StallWatch::isHelp)) {
            out.print(help("generate", "Writes realistic account-opening journeys to a dump file or a Kafka topic.", GenerateOptions.class));
            return OK;
          }
          return generate(rest);
        default:
          Command added = extra.get(command);
          if (added == null) {
            throw new UsageException("unknown command '" + command + "' (try --help)");
          }
          if (Arrays.stream(rest).anyMatch(StallWatch::isHelp)) {
            out.print(help(command, added.summary(), added.options()));
            return OK;
          }
          return added.run(rest, out, err);
      }
    } catch (UsageException e) {
      err.println("stallwatch " + command + ": " + e.getMessage());
      return USAGE;
    }
  }

  private static boolean isHelp(String arg) {
    return arg.equals("--help") || arg.equals("-h");
  }

  static String usage(Map<String, Command> extra) {
    StringBuilder added = new StringBuilder();
    extra.forEach((name, c) -> added.append(String.format("  %-10s %s%n", name, c.summary())));
    return "usage: stallwatch <command> [--option=value ...]\n"
        + "\n"
        + "Commands:\n"
        + "  backfill   compute the alerts of a dump (.csv or .jsonl, optionally .gz) in batch\n"
        + "  run        the streaming job: the change stream from Kafka in, alerts to the route topics\n"
        + "  generate   write realistic journeys (deterministic for a seed) to a .csv or .jsonl dump\n"
        + added
        + "  help       show this text\n"
        + "\n"
        + "Run 'stallwatch <command> --help' for the options of a command.\n";
  }

  /** Every option of {@code options} with its description and default, from the annotations. */
  static String help(String command, String what, Class<?> options) {
    StringBuilder sb = new StringBuilder();
    sb.append("usage: stallwatch ").append(command).append(" [--option=value ...]\n\n");
    sb.append(what).append("\n\nOptions:\n");
    List<String[]> rows = new ArrayList<>();
    for (Class<?> type : ancestry(options)) {
      for (Method m : type.getDeclaredMethods()) {
        Description d = m.getAnnotation(Description.class);
        if (d == null || !(m.getName().startsWith("get") || m.getName().startsWith("is"))) {
          continue;
        }
        String bare = m.getName().startsWith("get") ? m.getName().substring(3) : m.getName().substring(2);
        String name = Character.toLowerCase(bare.charAt(0)) + bare.substring(1);
        boolean required = m.getAnnotation(org.apache.beam.sdk.options.Validation.Required.class) != null;
        rows.add(new String[] {"--" + name + "=" + placeholder(m), d.value(), required ? "required" : defaultOf(m)});
      }
    }
    rows.sort(
        java.util.Comparator.comparing((String[] r) -> !r[2].equals("required"))
            .thenComparing(r -> OPTION_ORDER.indexOf(r[0].substring(2, r[0].indexOf('=')))));
    boolean ownCommand = options.getPackageName().equals(StallWatch.class.getPackageName());
    if (ownCommand) {
      rows.add(
          new String[] {
            "--runner=RUNNER",
            "DirectRunner (in process) or FlinkRunner (embedded mini-cluster unless --flinkMaster)",
            "default: DirectRunner"
          });
    }
    for (String[] r : rows) {
      sb.append(String.format("  %s%n      %s (%s)%n", r[0], r[1], r[2]));
    }
    if (ownCommand) {
      sb.append(
          "\nAny other Beam or runner option passes through, e.g. --parallelism=2 or"
              + " --flinkMaster=host:8081 for FlinkRunner.\n");
    }
    return sb.toString();
  }

  private static List<Class<?>> ancestry(Class<?> options) {
    List<Class<?>> types = new ArrayList<>();
    types.add(options);
    for (Class<?> parent : options.getInterfaces()) {
      if (parent.getPackageName().equals(StallWatch.class.getPackageName())) {
        types.addAll(ancestry(parent));
      }
    }
    return types;
  }

  private static String placeholder(Method m) {
    if (m.getReturnType() == boolean.class) {
      return "true|false";
    }
    Placeholder p = m.getAnnotation(Placeholder.class);
    return p == null ? "VALUE" : p.value();
  }

  /** The order options are listed in; options not named here come last. */
  private static final List<String> OPTION_ORDER =
      List.of(
          "input", "output", "bootstrapServers", "inputTopic", "deadLetterTopic", "blacklist", "channels",
          "config", "timeZone", "maxOutOfOrderness", "idleAfter", "maxFutureSkew", "kafkaProperties", "simulatedStart", "simulatedSpeed", "simulatedAnchor", "keyBuckets", "jsonSummary",
          "replayApplicants", "replaySeed", "replayDays", "applicants", "events", "seed", "firstDay", "days", "badRowRate", "topic", "speed", "maxDelay",
          "workers", "contenders", "directEvents", "results");

  private static String defaultOf(Method m) {
    if (m.getAnnotation(ShownDefault.class) != null) {
      return "default: " + m.getAnnotation(ShownDefault.class).value();
    }
    if (m.getAnnotation(Default.Boolean.class) != null) {
      return "default: " + m.getAnnotation(Default.Boolean.class).value();
    }
    if (m.getAnnotation(Default.String.class) != null) {
      return "default: " + m.getAnnotation(Default.String.class).value();
    }
    if (m.getAnnotation(Default.Integer.class) != null) {
      return "default: " + m.getAnnotation(Default.Integer.class).value();
    }
    if (m.getAnnotation(Default.Double.class) != null) {
      return "default: " + m.getAnnotation(Default.Double.class).value();
    }
    if (m.getAnnotation(Default.Long.class) != null) {
      return "default: " + m.getAnnotation(Default.Long.class).value();
    }
    return "default: none";
  }

  // ---------------------------------------------------------------- backfill

  private int backfill(String[] args) {
    BackfillOptions options = parseOptions(inProcessDefaults(args), BackfillOptions.class);
    StallConfig config = stallConfig(options);
    List<Path> dumps = checkInput(options.getInput());
    Blacklist blacklist = DimensionCsvFile.blacklist(options);
    ChannelNames channels = DimensionCsvFile.channels(options);
    if (options.getKeyBuckets() < 1) {
      throw new UsageException("--keyBuckets must be at least 1");
    }
    prepareOutput(options.getOutput());
    options.setJobName("stallwatch-backfill");

    err.printf(
        "stallwatch backfill: %d file(s) on %s, output %s%n",
        dumps.size(), options.getRunner().getSimpleName(), options.getOutput());
    long start = System.nanoTime();
    Pipeline pipeline = StallJob.backfill(options, config, blacklist, channels);
    PipelineResult result;
    try {
      result = pipeline.run();
      result.waitUntilFinish();
    } catch (RuntimeException e) {
      err.println("stallwatch backfill: the job failed: " + rootMessage(e));
      return FAILED;
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    Summary summary = Summary.of(result, config);
    if (options.getJsonSummary()) {
      out.println(summary.json());
    } else {
      out.printf("StallWatch backfill finished in %.1f s on %s%n", seconds, options.getRunner().getSimpleName());
      out.print(summary.table());
      out.printf("  %-32s %s%n", "output", Path.of(options.getOutput()).resolve("alerts*.jsonl, dead-letter*.jsonl"));
    }
    return OK;
  }

  // ---------------------------------------------------------------- run

  private int runStreaming(String[] args) {
    try {
      return new RunCommand(out, err).run(args);
    } catch (UsageException e) {
      throw e;
    } catch (Exception e) {
      err.println("stallwatch run: the job failed: " + rootMessage(e));
      return FAILED;
    }
  }

  // ---------------------------------------------------------------- generate

  private int generate(String[] args) {
    GenerateOptions options = parseOptions(args, GenerateOptions.class);
    java.time.LocalDate firstDay;
    try {
      firstDay = java.time.LocalDate.parse(options.getFirstDay());
    } catch (java.time.format.DateTimeParseException e) {
      throw new UsageException("--firstDay: expected yyyy-MM-dd, not '" + options.getFirstDay() + "'");
    }
    ZoneId zone;
    String zoneId = options.getTimeZone() == null ? StallConfig.DEFAULT_ZONE : options.getTimeZone();
    try {
      zone = ZoneId.of(zoneId);
    } catch (DateTimeException e) {
      throw new UsageException("--timeZone: unknown time zone '" + zoneId + "'");
    }
    if (options.getApplicants() < 1 || options.getDays() < 1) {
      throw new UsageException("--applicants and --days must be at least 1");
    }
    if (options.getBadRowRate() < 0 || options.getBadRowRate() > 1) {
      throw new UsageException("--badRowRate must be between 0 and 1");
    }
    if ((options.getOutput() == null) == (options.getBootstrapServers() == null)) {
      throw new UsageException("give either --output (a file) or --bootstrapServers (a topic)");
    }
    dev.stallwatch.generate.JourneyGenerator generator =
        dev.stallwatch.generate.JourneyGenerator.builder()
            .seed(options.getSeed())
            .applicants(options.getApplicants())
            .firstDay(firstDay)
            .days(options.getDays())
            .zone(zone)
            .badRowRate(options.getBadRowRate())
            .build();
    if (options.getBootstrapServers() != null) {
      return generateToKafka(options, generator, zone);
    }
    Path file = Path.of(options.getOutput());
    if (ReadDump.Format.of(file.getFileName().toString()) == null) {
      throw new UsageException("--output: " + file + " is neither .csv nor .jsonl (optionally .gz)");
    }
    long rows;
    try {
      rows = GenerateDump.write(generator, options.getSeed(), file);
    } catch (IOException e) {
      throw new UsageException("--output: cannot write " + file + ": " + e.getMessage());
    }
    out.printf("wrote %d rows of %d applicants to %s%n", rows, options.getApplicants(), file);
    return OK;
  }

  /**
   * Sends the journeys to a topic on a simulated clock and prints the clock, so that a job started
   * with the same {@code --simulatedStart}, {@code --simulatedSpeed} and {@code --simulatedAnchor}
   * shares it.
   */
  private int generateToKafka(
      GenerateOptions options, dev.stallwatch.generate.JourneyGenerator generator, ZoneId zone) {
    if (!(options.getSpeed() > 0) || options.getMaxDelay() < 0) {
      throw new UsageException("--speed must be positive and --maxDelay at least 0");
    }
    KafkaReplay replay = KafkaReplay.of(generator, options.getSeed(), zone, options.getMaxDelay() * 1000L);
    java.time.LocalDateTime start =
        java.time.LocalDateTime.ofInstant(java.time.Instant.ofEpochMilli(replay.firstDueMillis() - 60_000), zone)
            .withNano(0);
    long anchor = System.currentTimeMillis() + 2_000;
    SimulatedClock clock =
        SimulatedClock.of(
            new org.joda.time.Instant(start.atZone(zone).toInstant().toEpochMilli()), anchor, options.getSpeed());
    out.printf(
        "sending %d rows of %d applicants to %s on %s; share the clock with: --simulatedStart=%s"
            + " --simulatedSpeed=%s --simulatedAnchor=%d%n",
        replay.messages().size(),
        options.getApplicants(),
        options.getTopic(),
        options.getBootstrapServers(),
        start,
        options.getSpeed(),
        anchor);
    out.flush();
    try {
      long sent =
          replay.send(
              options.getBootstrapServers(),
              options.getTopic(),
              RunCommand.kafkaProperties(options.getKafkaProperties()),
              clock);
      out.printf("sent %d rows to %s%n", sent, options.getTopic());
      return OK;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return FAILED;
    } catch (RuntimeException e) {
      err.println("stallwatch generate: " + rootMessage(e));
      return FAILED;
    }
  }

  /**
   * The direct runner re-encodes and compares every element to catch mutation bugs in tests. A
   * backfill on it turns those checks off unless the arguments say otherwise.
   */
  static String[] inProcessDefaults(String[] args) {
    boolean direct =
        Arrays.stream(args)
            .filter(a -> a.startsWith("--runner="))
            .allMatch(a -> a.equals("--runner=DirectRunner") || a.endsWith(".DirectRunner"));
    boolean directOptionsKnown =
        PipelineOptionsFactory.getRegisteredOptions().stream()
            .anyMatch(c -> c.getSimpleName().equals("DirectOptions"));
    if (!direct || !directOptionsKnown) {
      return args;
    }
    List<String> all = new ArrayList<>(Arrays.asList(args));
    for (String check : List.of("enforceImmutability", "enforceEncodability")) {
      if (all.stream().noneMatch(a -> a.startsWith("--" + check))) {
        all.add("--" + check + "=false");
      }
    }
    return all.toArray(new String[0]);
  }

  public static <T extends org.apache.beam.sdk.options.PipelineOptions> T parseOptions(String[] args, Class<T> type) {
    PipelineOptionsFactory.register(type);
    try {
      return PipelineOptionsFactory.fromArgs(args).withValidation().as(type);
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new UsageException(firstLine(e.getMessage()));
    }
  }

  static StallConfig stallConfig(StallOptions options) {
    StallConfig config = StallConfig.defaults();
    if (options.getConfig() != null) {
      Path path = Path.of(options.getConfig());
      if (!Files.isReadable(path)) {
        throw new UsageException("--config: cannot read " + path);
      }
      try {
        config = ConfigFile.load(path);
      } catch (ConfigFile.InvalidConfigException e) {
        throw new UsageException("--config: " + e.getMessage());
      }
    }
    if (options.getTimeZone() != null) {
      try {
        ZoneId.of(options.getTimeZone());
      } catch (DateTimeException e) {
        throw new UsageException("--timeZone: unknown time zone '" + options.getTimeZone() + "'");
      }
      config = config.toBuilder().zoneId(options.getTimeZone()).build();
    }
    return config;
  }

  /** The files {@code input} matches; each must be a readable .csv or .jsonl (optionally .gz). */
  static List<Path> checkInput(String input) {
    List<MatchResult.Metadata> matched;
    try {
      MatchResult match = FileSystems.match(input, EmptyMatchTreatment.ALLOW);
      matched = match.status() == MatchResult.Status.OK ? match.metadata() : List.of();
    } catch (IOException e) {
      throw new UsageException("--input: cannot read " + input + ": " + e.getMessage());
    }
    if (matched.isEmpty()) {
      throw new UsageException("--input: no such file: " + input);
    }
    List<Path> paths = new ArrayList<>();
    for (MatchResult.Metadata m : matched) {
      String name = m.resourceId().getFilename();
      ReadDump.Format format = ReadDump.Format.of(name);
      if (format == null) {
        throw new UsageException("--input: " + m.resourceId() + " is neither .csv nor .jsonl (optionally .gz)");
      }
      try (BufferedReader r =
          new BufferedReader(
              new InputStreamReader(
                  Channels.newInputStream(
                      Compression.detect(name).readDecompressed(FileSystems.open(m.resourceId()))),
                  StandardCharsets.UTF_8))) {
        String first = r.readLine();
        if (format == ReadDump.Format.CSV) {
          if (first == null) {
            throw new UsageException("--input: " + m.resourceId() + " is empty: a CSV dump needs a header row");
          }
          RowParser.CsvHeader.parse(first);
        }
      } catch (RowParser.BadRowException e) {
        throw new UsageException("--input: " + m.resourceId() + ": " + e.getMessage());
      } catch (IOException e) {
        throw new UsageException("--input: cannot read " + m.resourceId() + ": " + e.getMessage());
      }
      paths.add(Path.of(m.resourceId().toString()));
    }
    return paths;
  }

  /** Creates the output directory and removes the files an earlier run left in it. */
  private void prepareOutput(String output) {
    Path dir = Path.of(output);
    try {
      Files.createDirectories(dir);
      int removed = 0;
      try (DirectoryStream<Path> old = Files.newDirectoryStream(dir, "{alerts,dead-letter}*.jsonl")) {
        for (Path p : old) {
          Files.delete(p);
          removed++;
        }
      }
      if (removed > 0) {
        err.printf("stallwatch backfill: replaced %d output file(s) of an earlier run in %s%n", removed, dir);
      }
    } catch (IOException e) {
      throw new UsageException("--output: cannot write to " + dir + ": " + e.getMessage());
    }
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "invalid arguments";
    }
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return firstLine(t.getClass().getSimpleName() + ": " + t.getMessage());
  }

  /** The dimension files, read on the launching machine with errors that name the file. */
  static final class DimensionCsvFile {
    static Blacklist blacklist(DimensionOptions options) {
      return options.getBlacklist() == null ? Blacklist.empty() : blacklist(options.getBlacklist());
    }

    static ChannelNames channels(DimensionOptions options) {
      return options.getChannels() == null ? ChannelNames.empty() : channels(options.getChannels());
    }

    static Blacklist blacklist(String file) {
      try {
        return DimensionCsv.blacklist(lines("--blacklist", file), file);
      } catch (IllegalArgumentException e) {
        throw new UsageException("--blacklist: " + e.getMessage());
      }
    }

    static ChannelNames channels(String file) {
      try {
        return DimensionCsv.channels(lines("--channels", file), file);
      } catch (IllegalArgumentException e) {
        throw new UsageException("--channels: " + e.getMessage());
      }
    }

    private static List<String> lines(String option, String file) {
      try {
        return Files.readAllLines(Path.of(file), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UsageException(option + ": cannot read " + file);
      }
    }
  }
}
