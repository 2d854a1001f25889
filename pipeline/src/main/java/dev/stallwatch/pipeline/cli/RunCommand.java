package dev.stallwatch.pipeline.cli;

import dev.stallwatch.domain.Blacklist;
import dev.stallwatch.domain.ChannelNames;
import dev.stallwatch.pipeline.config.IoNames;
import dev.stallwatch.pipeline.config.JobConfig;
import dev.stallwatch.pipeline.files.DimensionFiles;
import dev.stallwatch.pipeline.jdbc.AuditTable;
import dev.stallwatch.pipeline.jdbc.DimensionLoadException;
import dev.stallwatch.pipeline.jdbc.DimensionTables;
import dev.stallwatch.pipeline.jdbc.Dimensions;
import dev.stallwatch.pipeline.jdbc.JdbcSettings;
import dev.stallwatch.pipeline.jdbc.RefreshedDimensions;
import dev.stallwatch.pipeline.kafka.KafkaClientConfig;
import dev.stallwatch.pipeline.kafka.KafkaSinks;
import dev.stallwatch.pipeline.kafka.SimulatedClock;
import dev.stallwatch.pipeline.options.RunOptions;
import dev.stallwatch.pipeline.stall.StallGraph;
import dev.stallwatch.pipeline.stall.StreamingJob;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.StreamingOptions;
import org.joda.time.Duration;

/**
 * {@code stallwatch run}: the streaming job. With {@code --bootstrapServers} it connects to real
 * systems and runs until stopped; without, it hands over to the embedded default the launcher gave.
 */
final class RunCommand extends StallWatch.OwnCommand {
  RunCommand(StallWatch cli) {
    super(cli, "run");
  }

  @Override
  public String summary() {
    return "the streaming job: the change stream from Kafka in, alerts to the route topics";
  }

  @Override
  public Class<? extends PipelineOptions> options() {
    return RunOptions.class;
  }

  @Override
  List<Class<? extends PipelineOptions>> moreOptions() {
    return cli.embedded() == null ? List.of() : List.of(cli.embedded().options());
  }

  @Override
  List<LaunchDefault> embeddedDefaults() {
    return cli.embedded() == null ? List.of() : cli.embedded().defaults();
  }

  @Override
  Map<String, String> shownDefaults() {
    IoNames names = IoNames.defaultNames();
    return Map.of(
        "inputTopic", names.inputTopic() + ", or the config file's io.inputTopic",
        "deadLetterTopic", names.deadLetterTopic() + ", or the config file's io.deadLetterTopic");
  }

  @Override
  public int run(String[] args, PrintStream out, PrintStream err) {
    StallWatch.Parsed<RunOptions> parsed = parse(args, RunOptions.class, List.of());
    RunOptions options = parsed.options();
    boolean embedded = options.getBootstrapServers() == null;
    if (embedded) {
      if (cli.embedded() == null) {
        throw new UsageException("--bootstrapServers: required (this build has no embedded default)");
      }
      for (LaunchDefault d : cli.embedded().defaults()) {
        d.applyTo(options, parsed.given());
      }
      if (options.getJdbcUrl() != null) {
        throw new UsageException("--jdbcUrl: needs --bootstrapServers; the embedded default brings its own database");
      }
    } else {
      for (String own : Arguments.properties(cli.embedded() == null ? RunOptions.class : cli.embedded().options(), true).keySet()) {
        if (parsed.given().has(own) && !Arguments.properties(RunOptions.class, true).containsKey(own)) {
          throw new UsageException("--" + own + ": only for the embedded default, which runs without --bootstrapServers");
        }
      }
    }
    check(options);
    options.as(StreamingOptions.class).setStreaming(true);
    options.setJobName("stallwatch-run");
    JobConfig config = JobConfig.from(options).withTopics(options);
    if (embedded) {
      try {
        return cli.embedded().run(options, config, out, err);
      } catch (IllegalArgumentException e) {
        throw e;
      } catch (Exception e) {
        err.println("stallwatch run: the job failed: " + StallWatch.rootMessage(e));
        return StallWatch.FAILED;
      }
    }
    return connected(options, config, err);
  }

  /**
   * A warning for the start line when the blacklist table has no rows: the job runs (an empty
   * table may be right), but an ETL caught mid-load would otherwise go unnoticed until the reload
   * that refills it.
   */
  static String emptyBlacklistWarning(DimensionTables tables, Dimensions first) {
    String table = tables.blacklist();
    if (table == null || first.rows().getOrDefault(table, 0L) > 0) {
      return "";
    }
    return "; WARNING: blacklist table " + table + " is empty, so no customer is excluded until a"
        + " reload finds rows";
  }

  /** The job on real systems, until it is stopped. */
  private int connected(RunOptions options, JobConfig config, PrintStream err) {
    SimulatedClock clock = SimulatedClock.from(options, config.stall().zone());
    Map<String, Object> kafkaClient = KafkaClientConfig.from(options);
    Duration refresh = Duration.standardSeconds(options.getSideInputRefresh());
    Function<Pipeline, StallGraph.Dimensions> dimensions;
    AuditTable audit = null;
    if (options.getJdbcUrl() != null) {
      AuditTable.checkOneRowPerAlert(config.stall(), config.names().auditTable());
      if (options.getBlacklist() != null || options.getChannels() != null) {
        throw new UsageException(
            "--blacklist and --channels are files for a job without a database; with --jdbcUrl the"
                + " job reads the tables named in the config file's io section");
      }
      JdbcSettings jdbc = JdbcSettings.from(options);
      Dimensions first;
      DimensionTables tables = StreamingJob.tables(config.names());
      try {
        first = RefreshedDimensions.loadOnce(jdbc, tables);
      } catch (DimensionLoadException e) {
        err.println("stallwatch run: " + StallWatch.firstLine(e.getMessage()));
        return StallWatch.FAILED;
      }
      err.printf(
          "stallwatch run: %s: %d blacklist entries, %d channel names; reloaded every %d s%s%n",
          jdbc, first.blacklist().size(), first.channels().asMap().size(), options.getSideInputRefresh(),
          emptyBlacklistWarning(tables, first));
      dimensions = StreamingJob.refreshed(jdbc, config.names(), refresh, options.getDimensionMaxShrink());
      audit = AuditTable.of(jdbc).withTable(config.names().auditTable());
    } else {
      Blacklist blacklist = DimensionFiles.blacklist(options);
      ChannelNames channels = DimensionFiles.channels(options);
      dimensions = p -> StallGraph.Dimensions.fixed(p, blacklist, channels);
    }
    StreamingJob.Io io = new StreamingJob.Io(options.getBootstrapServers(), config.names(), kafkaClient, clock);
    Pipeline pipeline = StreamingJob.create(options, config, io, dimensions, audit);
    err.printf(
        "stallwatch run: %s topic %s on %s, %s; %s%n",
        options.getBootstrapServers(),
        config.names().inputTopic(),
        options.getRunner().getSimpleName(),
        clock,
        KafkaSinks.Delivery.from(options, kafkaClient));
    try {
      PipelineResult result = pipeline.run();
      if (options.getDetached()) {
        err.println("stallwatch run: the job is submitted and runs on until it is stopped");
        return StallWatch.OK;
      }
      PipelineResult.State state = result.waitUntilFinish();
      err.println("stallwatch run: the job ended: " + state);
      return state == PipelineResult.State.FAILED ? StallWatch.FAILED : StallWatch.OK;
    } catch (RuntimeException e) {
      err.println("stallwatch run: the job failed: " + StallWatch.rootMessage(e));
      return StallWatch.FAILED;
    }
  }
}
