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
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.StreamingOptions;
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
    RunOptions options = StallWatch.parseOptions(launchDefaults(args, embedded), RunOptions.class);
    StallConfig config = StallWatch.stallConfig(options);
    if (options.getKeyBuckets() < 1
        || (options.getMaxOutOfOrderness() != null && options.getMaxOutOfOrderness() < 0)
        || (options.getIdleAfter() != null && options.getIdleAfter() < 1)) {
      throw new StallWatch.UsageException(
          "--keyBuckets and --idleAfter must be at least 1, --maxOutOfOrderness at least 0");
    }
    if (options.getSimulatedSpeed() != null && !(options.getSimulatedSpeed() > 0)) {
      throw new StallWatch.UsageException("--simulatedSpeed must be a positive number");
    }
    Map<String, Object> kafkaClient = kafkaProperties(options.getKafkaProperties());
    options.as(StreamingOptions.class).setStreaming(true);
    options.setJobName("stallwatch-run");
    if (embedded) {
      ChannelNames channels =
          options.getChannels() == null ? sampleChannels() : StallWatch.DimensionCsvFile.channels(options);
      return new EmbeddedRun(out, err).run(options, config, channels);
    }
    ChannelNames channels = StallWatch.DimensionCsvFile.channels(options);
    if (options.getMaxOutOfOrderness() == null) {
      options.setMaxOutOfOrderness(30);
    }
    if (options.getIdleAfter() == null) {
      options.setIdleAfter(10);
    }
    Blacklist blacklist = StallWatch.DimensionCsvFile.blacklist(options);
    SimulatedClock clock = clock(options, config);
    err.printf(
        "stallwatch run: %s topic %s on %s, %s%n",
        options.getBootstrapServers(), options.getInputTopic(), options.getRunner().getSimpleName(), clock);
    PipelineResult result =
        StreamingJob.create(options, config, clock, kafkaClient, p -> StallJob.Dimensions.fixed(p, blacklist, channels))
            .run();
    PipelineResult.State state = result.waitUntilFinish();
    err.println("stallwatch run: the job ended: " + state);
    return state == PipelineResult.State.FAILED ? StallWatch.FAILED : StallWatch.OK;
  }

  /**
   * What {@code run} means without further arguments: the embedded Flink runner, checkpointing every
   * 10 s, and for the embedded default a job that does not block the launching thread. Arguments
   * given explicitly win.
   */
  static String[] launchDefaults(String[] args, boolean embedded) {
    List<String> all = new ArrayList<>(Arrays.asList(args));
    addUnlessGiven(all, "runner", "FlinkRunner");
    boolean flink = all.stream().anyMatch(a -> a.equals("--runner=FlinkRunner") || a.endsWith(".FlinkRunner"));
    if (flink) {
      addUnlessGiven(all, "checkpointingInterval", "10000");
      addUnlessGiven(all, "maxBundleTimeMills", "200");
      if (embedded) {
        addUnlessGiven(all, "attachedMode", "false");
      }
    } else if (embedded) {
      addUnlessGiven(all, "blockOnRun", "false");
    }
    return all.toArray(new String[0]);
  }

  private static void addUnlessGiven(List<String> args, String name, String value) {
    if (args.stream().noneMatch(a -> a.startsWith("--" + name + "="))) {
      args.add("--" + name + "=" + value);
    }
  }

  /** Extra Kafka client settings from a properties file: where secrets belong, never argv. */
  static Map<String, Object> kafkaProperties(String file) {
    Map<String, Object> config = new HashMap<>();
    if (file == null) {
      return config;
    }
    Properties props = new Properties();
    try (InputStream in = Files.newInputStream(Path.of(file))) {
      props.load(in);
    } catch (IOException e) {
      throw new StallWatch.UsageException("--kafkaProperties: cannot read " + file);
    }
    props.forEach((k, v) -> config.put(k.toString(), v.toString()));
    return config;
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
