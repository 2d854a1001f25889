package dev.stallwatch.pipeline;

import dev.stallwatch.domain.Blacklist;
import dev.stallwatch.domain.ChannelNames;
import dev.stallwatch.domain.StallConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import dev.stallwatch.pipeline.jdbc.AuditTable;
import dev.stallwatch.pipeline.jdbc.DimensionLoadException;
import dev.stallwatch.pipeline.jdbc.Dimensions;
import dev.stallwatch.pipeline.jdbc.JdbcSettings;
import dev.stallwatch.pipeline.jdbc.RefreshedDimensions;
import dev.stallwatch.pipeline.jdbc.SqlDialect;
import java.util.function.Function;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.StreamingOptions;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * {@code stallwatch run}: the streaming job. With {@code --bootstrapServers} it connects to real
 * systems and runs until stopped; without, it starts the {@link EmbeddedRun embedded default}.
 */
final class RunCommand {
  private final PrintStream out;
  private final PrintStream err;

  RunCommand(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  int run(String[] args) throws Exception {
    boolean embedded = Arrays.stream(args).noneMatch(a -> a.startsWith("--bootstrapServers="));
    String[] launched = launchDefaults(args, embedded);
    RunOptions options = StallWatch.parseOptions(launched, RunOptions.class);
    if (options.getExactlyOnce() && onFlinkWithoutCheckpoints(launched)) {
      throw new StallWatch.UsageException(
          "--exactlyOnce needs checkpointing on Flink (the route topics' transactions wait for checkpoints):"
              + " give --checkpointingInterval=MILLIS, or --exactlyOnce=false");
    }
    StallConfig config = StallWatch.stallConfig(options);
    if (options.getKeyBuckets() < 1
        || (options.getMaxOutOfOrderness() != null && options.getMaxOutOfOrderness() < 0)
        || (options.getIdleAfter() != null && options.getIdleAfter() < 1)
        || options.getMaxFutureSkew() < 0) {
      throw new StallWatch.UsageException(
          "--keyBuckets and --idleAfter must be at least 1, --maxOutOfOrderness and --maxFutureSkew at"
              + " least 0");
    }
    if (options.getSimulatedSpeed() != null && !(options.getSimulatedSpeed() > 0)) {
      throw new StallWatch.UsageException("--simulatedSpeed must be a positive number");
    }
    Map<String, Object> kafkaClient = kafkaProperties(options.getKafkaProperties());
    IoNames names = ioNames(options);
    options.as(StreamingOptions.class).setStreaming(true);
    options.setJobName("stallwatch-run");
    if (options.getSideInputRefresh() < 1) {
      throw new StallWatch.UsageException("--sideInputRefresh must be at least 1 second");
    }
    Duration refresh = Duration.standardSeconds(options.getSideInputRefresh());
    if (embedded) {
      if (options.getJdbcUrl() != null) {
        throw new StallWatch.UsageException(
            "--jdbcUrl needs --bootstrapServers: the embedded default brings its own database");
      }
      ChannelNames channels =
          options.getChannels() == null ? sampleChannels() : StallWatch.DimensionCsvFile.channels(options);
      return new EmbeddedRun(out, err).run(options, config, names, channels, refresh);
    }
    if (options.getMaxOutOfOrderness() == null) {
      options.setMaxOutOfOrderness(30);
    }
    if (options.getIdleAfter() == null) {
      options.setIdleAfter(10);
    }
    SimulatedClock clock = clock(options, config);
    Function<Pipeline, StallJob.Dimensions> dimensions;
    AuditTable audit = null;
    if (options.getJdbcUrl() != null) {
      if (options.getBlacklist() != null || options.getChannels() != null) {
        throw new StallWatch.UsageException(
            "--blacklist and --channels are files for a job without a database; with --jdbcUrl the"
                + " job reads the tables named in the config file's io section");
      }
      JdbcSettings jdbc = jdbcSettings(options);
      Dimensions first;
      try {
        first = RefreshedDimensions.loadOnce(jdbc, StreamingJob.tables(names));
      } catch (DimensionLoadException e) {
        err.println("stallwatch run: " + e.getMessage().lines().findFirst().orElse("").strip());
        return StallWatch.FAILED;
      }
      err.printf(
          "stallwatch run: %s: %d blacklist entries, %d channel names; reloaded every %d s%n",
          jdbc, first.blacklist().size(), first.channels().asMap().size(), options.getSideInputRefresh());
      dimensions = StreamingJob.refreshed(jdbc, names, refresh);
      audit = AuditTable.of(jdbc).withTable(names.auditTable());
    } else {
      Blacklist blacklist = StallWatch.DimensionCsvFile.blacklist(options);
      ChannelNames channels = StallWatch.DimensionCsvFile.channels(options);
      dimensions = p -> StallJob.Dimensions.fixed(p, blacklist, channels);
    }
    err.printf(
        "stallwatch run: %s topic %s on %s, %s; %s%n",
        options.getBootstrapServers(),
        names.inputTopic(),
        options.getRunner().getSimpleName(),
        clock,
        StreamingJob.delivery(options, kafkaClient));
    PipelineResult result =
        StreamingJob.create(options, config, names, clock, kafkaClient, dimensions, audit).run();
    PipelineResult.State state = result.waitUntilFinish();
    err.println("stallwatch run: the job ended: " + state);
    return state == PipelineResult.State.FAILED ? StallWatch.FAILED : StallWatch.OK;
  }

  /**
   * What {@code run} means without further arguments: the embedded Flink runner, checkpointing every
   * 10 s, and for the embedded default a job that does not block the launching thread and writes its
   * topics at least once. Arguments given explicitly win.
   */
  static String[] launchDefaults(String[] args, boolean embedded) {
    List<String> all = new ArrayList<>(Arrays.asList(args));
    addUnlessGiven(all, "runner", "FlinkRunner");
    boolean flink = all.stream().anyMatch(a -> a.equals("--runner=FlinkRunner") || a.endsWith(".FlinkRunner"));
    if (flink) {
      addUnlessGiven(all, "checkpointingInterval", "10000");
      addUnlessGiven(all, "maxBundleTimeMills", "200");
      addUnlessGiven(all, "autoWatermarkInterval", "100");
      if (embedded) {
        addUnlessGiven(all, "attachedMode", "false");
      }
    } else if (embedded) {
      addUnlessGiven(all, "blockOnRun", "false");
    }
    if (embedded) {
      // at 1500x the 10 s between checkpoints, which an exactly-once alert waits for, are four
      // simulated hours; at least once loses nothing, and the summary, held to the model, would
      // show a repeated alert
      addUnlessGiven(all, "exactlyOnce", "false");
    }
    return all.toArray(new String[0]);
  }

  /** Whether the launch runs on Flink with checkpointing off ({@code --checkpointingInterval} below 1). */
  static boolean onFlinkWithoutCheckpoints(String[] launched) {
    boolean flink = false;
    long interval = -1;
    for (String a : launched) {
      if (a.equals("--runner=FlinkRunner") || a.endsWith(".FlinkRunner")) {
        flink = true;
      } else if (a.startsWith("--checkpointingInterval=")) {
        try {
          interval = Long.parseLong(a.substring("--checkpointingInterval=".length()).trim());
        } catch (NumberFormatException e) {
          return false; // Beam's option parsing reports it
        }
      }
    }
    return flink && interval < 1;
  }

  private static void addUnlessGiven(List<String> args, String name, String value) {
    if (args.stream().noneMatch(a -> a.startsWith("--" + name + "="))) {
      args.add("--" + name + "=" + value);
    }
  }

  /** Topic and table names: the config file's io section, then the command line. */
  static IoNames ioNames(RunOptions options) {
    IoNames names = IoNames.defaultNames();
    if (options.getConfig() != null) {
      try {
        names = ConfigFile.loadNames(Path.of(options.getConfig()));
      } catch (ConfigFile.InvalidConfigException e) {
        throw new StallWatch.UsageException("--config: " + e.getMessage());
      }
    }
    if (options.getInputTopic() != null) {
      names = names.with("inputTopic", options.getInputTopic());
    }
    if (options.getDeadLetterTopic() != null) {
      names = names.with("deadLetterTopic", options.getDeadLetterTopic());
    }
    return names;
  }

  /** The database settings; the password comes from a file or the environment, never argv. */
  static JdbcSettings jdbcSettings(RunOptions options) {
    try {
      JdbcSettings.Builder b = JdbcSettings.builder(options.getJdbcUrl());
      if (options.getJdbcUser() != null) {
        b.user(options.getJdbcUser());
      }
      if (options.getJdbcDialect() != null) {
        b.dialect(SqlDialect.parse(options.getJdbcDialect()));
      }
      if (options.getJdbcPasswordFile() != null) {
        b.passwordFile(options.getJdbcPasswordFile());
      }
      if (options.getJdbcProperties() != null) {
        b.properties(options.getJdbcProperties());
      }
      return b.build();
    } catch (IllegalArgumentException e) {
      throw new StallWatch.UsageException("--jdbc...: " + e.getMessage());
    }
  }

  /**
   * Extra Kafka client settings from a properties file: where secrets belong, never argv. The
   * values of secret settings ({@link #isSecret}: {@code sasl.jaas.config}, {@code
   * ssl.keystore.password}, ...) are not copied into the job: each becomes a reference {@code
   * ${file:PATH:KEY}} that the Kafka client resolves with Kafka's {@code FileConfigProvider} when it
   * is created, on whichever machine. So the secret is in no job graph (KafkaIO shows every client
   * setting as display data and serializes it with the job), no printed option and no log line; a
   * cluster's workers need the same file at the same path, as for {@code --jdbcPasswordFile}. A
   * value may instead name an environment variable, {@code ${env:NAME}} (Kafka's {@code
   * EnvVarConfigProvider}), which the client reads where it runs. Both providers are declared
   * unless the file declares providers of those names itself.
   */
  static Map<String, Object> kafkaProperties(String file) {
    Map<String, Object> config = new HashMap<>();
    if (file == null) {
      return config;
    }
    Path path = Path.of(file).toAbsolutePath().normalize();
    Properties props = new Properties();
    try (InputStream in = Files.newInputStream(path)) {
      props.load(in);
    } catch (IOException e) {
      throw new StallWatch.UsageException("--kafkaProperties: cannot read " + file);
    }
    boolean referenced = false;
    for (String key : props.stringPropertyNames()) {
      String value = props.getProperty(key);
      if (isSecret(key) && !value.trim().startsWith("${")) {
        if (!REFERABLE_PATH.matcher(path.toString()).matches() || key.contains("}")) {
          throw new StallWatch.UsageException(
              "--kafkaProperties: the secret " + key + " is read from the file by its path, which must"
                  + " not contain ':', '{' or '}': " + path);
        }
        config.put(key, "${" + FILE_PROVIDER + ":" + path + ":" + key + "}");
        referenced = true;
      } else {
        config.put(key, value);
      }
    }
    if (referenced || config.values().stream().anyMatch(v -> v.toString().contains("${"))) {
      declareProvider(config, FILE_PROVIDER, "org.apache.kafka.common.config.provider.FileConfigProvider");
      declareProvider(config, ENV_PROVIDER, "org.apache.kafka.common.config.provider.EnvVarConfigProvider");
    }
    return config;
  }

  private static final String FILE_PROVIDER = "file";
  private static final String ENV_PROVIDER = "env";
  private static final java.util.regex.Pattern REFERABLE_PATH = java.util.regex.Pattern.compile("[^:{}]+");

  /**
   * Whether a Kafka client setting holds a secret: its name mentions a password, secret, JAAS
   * configuration, credential or token, or a key ({@code ssl.keystore.key}) or user info.
   */
  static boolean isSecret(String key) {
    String k = key.toLowerCase(java.util.Locale.ROOT);
    return k.contains("password")
        || k.contains("secret")
        || k.contains("jaas")
        || k.contains("credential")
        || k.contains("token")
        || k.contains("user.info")
        || k.endsWith(".key");
  }

  /** Adds {@code name} to {@code config.providers} with its class, unless the file names it. */
  private static void declareProvider(Map<String, Object> config, String name, String className) {
    String declared = config.getOrDefault("config.providers", "").toString().trim();
    List<String> names = new ArrayList<>();
    for (String n : declared.split(",")) {
      if (!n.trim().isEmpty()) {
        names.add(n.trim());
      }
    }
    if (names.contains(name)) {
      return;
    }
    names.add(name);
    config.put("config.providers", String.join(",", names));
    config.putIfAbsent("config.providers." + name + ".class", className);
  }

  static SimulatedClock clock(RunOptions options, StallConfig config) {
    if (options.getSimulatedStart() == null || options.getSimulatedStart().isEmpty()) {
      return SimulatedClock.system();
    }
    LocalDateTime start;
    try {
      start = LocalDateTime.parse(options.getSimulatedStart());
    } catch (DateTimeParseException e) {
      throw new StallWatch.UsageException(
          "--simulatedStart: expected yyyy-MM-ddTHH:mm:ss, not '" + options.getSimulatedStart() + "'");
    }
    long anchor = options.getSimulatedAnchor() == 0 ? System.currentTimeMillis() : options.getSimulatedAnchor();
    double speed = options.getSimulatedSpeed() == null ? 1.0 : options.getSimulatedSpeed();
    return SimulatedClock.of(new Instant(start.atZone(config.zone()).toInstant().toEpochMilli()), anchor, speed);
  }

  /** The channel names of the sample data, for the embedded default. */
  static ChannelNames sampleChannels() {
    try (InputStream in = RunCommand.class.getResourceAsStream("/dev/stallwatch/samples/channels.csv")) {
      if (in == null) {
        return ChannelNames.empty();
      }
      String text = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      return dev.stallwatch.parse.DimensionCsv.channels(List.of(text.split("\r?\n")), "samples/channels.csv");
    } catch (IOException e) {
      return ChannelNames.empty();
    }
  }
}
