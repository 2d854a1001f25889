package dev.stallwatch.pipeline.cli;

import dev.stallwatch.pipeline.classroom.ClassroomConfig;
import dev.stallwatch.pipeline.classroom.ClassroomStreamTopics;
import dev.stallwatch.pipeline.classroom.ClassroomStreamingJob;
import dev.stallwatch.pipeline.classroom.ClassroomTopics;
import dev.stallwatch.pipeline.jdbc.ClassroomTables;
import dev.stallwatch.pipeline.jdbc.JdbcSettings;
import dev.stallwatch.pipeline.jdbc.OperationsTables;
import dev.stallwatch.pipeline.search.SearchIndexes;
import dev.stallwatch.pipeline.search.SearchSettings;
import dev.stallwatch.pipeline.classroom.CountsRows;
import dev.stallwatch.pipeline.kafka.EventTimePolicy;
import dev.stallwatch.pipeline.kafka.KafkaClientConfig;
import dev.stallwatch.pipeline.kafka.KafkaSinks;
import dev.stallwatch.pipeline.kafka.SimulatedClock;
import dev.stallwatch.pipeline.options.ClassroomRunOptions;
import dev.stallwatch.pipeline.options.ExactlyOnceOptions;
import dev.stallwatch.pipeline.options.JdbcOptions;
import java.io.PrintStream;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.StreamingOptions;
import org.joda.time.Duration;

/**
 * {@code stallwatch classroom run}: the classroom streaming job ({@link ClassroomStreamingJob}).
 * With {@code --bootstrapServers} (and {@code --jdbcUrl}) it connects to real systems, creates the
 * classroom tables that are missing from the shipped DDL and runs until stopped (or returns once
 * submitted, {@code --detached}); without, it hands over to the embedded default the launcher gave
 * ({@link StallWatch#withClassroomEmbeddedDefault}).
 */
final class ClassroomRunCommand extends StallWatch.OwnCommand {
  private static final String NAME = "stallwatch classroom run";

  ClassroomRunCommand(StallWatch cli) {
    super(cli, "classroom run");
  }

  @Override
  public String summary() {
    return "the classroom jobs in streaming: three topics from Kafka in, C1's topic and the tables out";
  }

  @Override
  public Class<? extends PipelineOptions> options() {
    return ClassroomRunOptions.class;
  }

  @Override
  List<Class<? extends PipelineOptions>> moreOptions() {
    return cli.classroomEmbedded() == null ? List.of() : List.of(cli.classroomEmbedded().options());
  }

  @Override
  List<LaunchDefault> embeddedDefaults() {
    return cli.classroomEmbedded() == null ? List.of() : cli.classroomEmbedded().defaults();
  }

  @Override
  public int run(String[] args, PrintStream out, PrintStream err) {
    StallWatch.Parsed<ClassroomRunOptions> parsed = parse(args, ClassroomRunOptions.class, List.of());
    ClassroomRunOptions options = parsed.options();
    ClassroomEmbeddedDefault embedded = cli.classroomEmbedded();
    boolean local = options.getBootstrapServers() == null;
    if (local) {
      if (embedded == null) {
        throw new UsageException("--bootstrapServers: required (this build has no embedded classroom default)");
      }
      for (LaunchDefault d : embedded.defaults()) {
        d.applyTo(options, parsed.given());
      }
      if (options.getJdbcUrl() != null) {
        throw new UsageException("--jdbcUrl: needs --bootstrapServers; the embedded default brings its own database");
      }
      if (options.getSearchUrl() != null) {
        throw new UsageException("--searchUrl: needs --bootstrapServers; the embedded default writes C6 to its own database");
      }
    } else {
      if (embedded != null) {
        for (String own : Arguments.properties(embedded.options(), true).keySet()) {
          if (parsed.given().has(own) && !Arguments.properties(ClassroomRunOptions.class, true).containsKey(own)) {
            throw new UsageException("--" + own + ": only for the embedded default, which runs without --bootstrapServers");
          }
        }
      }
      if (options.getJdbcUrl() == null) {
        throw new UsageException("--jdbcUrl: required with --bootstrapServers (C2 to C7 write to its tables)");
      }
    }
    check(options);
    options.as(StreamingOptions.class).setStreaming(true);
    options.setJobName("stallwatch-classroom-run");
    ClassroomConfig config = config(options);
    topics(options); // names checked before anything starts
    if (local) {
      try {
        return embedded.run(options, config, out, err);
      } catch (IllegalArgumentException e) {
        throw e;
      } catch (Exception e) {
        err.println(NAME + ": the job failed: " + StallWatch.rootMessage(e));
        return StallWatch.FAILED;
      }
    }
    return connected(options, config, err);
  }

  /** The config the options give, with each topic's watermark bound. */
  static ClassroomConfig config(ClassroomRunOptions options) {
    return ClassroomConfig.from(
        options,
        Duration.standardSeconds(options.getSignalWatermarkBound()),
        Duration.standardSeconds(options.getCourseWatermarkBound()),
        Duration.standardSeconds(options.getAvWatermarkBound()));
  }

  /** The topics the options name. */
  static ClassroomStreamTopics topics(ClassroomRunOptions options) {
    try {
      return new ClassroomStreamTopics(
          options.getSignalTopic(),
          options.getQosTopic(),
          options.getAvTopic(),
          options.getLevelTopic(),
          options.getStudentTopic(),
          options.getUserTopic(),
          options.getOrderTopic(),
          options.getSignalOutputTopic(),
          options.getDeadLetterTopic() == null ? ClassroomTopics.DEAD_LETTERS : options.getDeadLetterTopic());
    } catch (IllegalArgumentException e) {
      throw new UsageException("--...Topic: " + e.getMessage());
    }
  }

  /** The tables the options name. */
  static ClassroomTables tables(ClassroomRunOptions options) {
    try {
      return ClassroomTables.defaults()
          .withSignalAnalysis(options.getSignalAnalysisTable())
          .withTakeTime(options.getTakeTimeTable())
          .withAvRecord(options.getAvRecordTable());
    } catch (IllegalArgumentException e) {
      throw new UsageException("--...Table: " + e.getMessage());
    }
  }

  /** C2's, C6's and C7's tables the options name. */
  static OperationsTables operationsTables(ClassroomRunOptions options) {
    try {
      return OperationsTables.defaults()
          .withLevels(options.getLevelTable())
          .withRegistrations(options.getRegistrationTable())
          .withStaffIndex(options.getStaffTable());
    } catch (IllegalArgumentException e) {
      throw new UsageException("--...Table: " + e.getMessage());
    }
  }

  /** C6's search index, or null when the options give none. */
  static SearchSettings search(ClassroomRunOptions options) {
    if (options.getSearchUrl() == null) {
      return null;
    }
    try {
      SearchSettings search =
          SearchSettings.of(options.getSearchUrl(), options.getSearchIndex()).withBulkSize(options.getSearchBulkSize());
      if (options.getSearchUser() != null) {
        search = search.withUser(options.getSearchUser());
      }
      if (options.getSearchPasswordFile() != null) {
        search = search.withPasswordFile(options.getSearchPasswordFile());
      }
      return search;
    } catch (IllegalArgumentException e) {
      throw new UsageException("--search...: " + e.getMessage());
    }
  }

  /** The sources' shared bounds: idle time and future skew (each topic brings its watermark bound). */
  static EventTimePolicy.Bounds bounds(ClassroomRunOptions options) {
    return new EventTimePolicy.Bounds(
        Duration.ZERO,
        Duration.standardSeconds(options.getIdleAfter()),
        Duration.ZERO,
        Duration.standardSeconds(options.getMaxFutureSkew()));
  }

  /** The job on real systems, until it is stopped. */
  private int connected(ClassroomRunOptions options, ClassroomConfig config, PrintStream err) {
    ClassroomStreamTopics topics = topics(options);
    ClassroomTables tables = tables(options);
    JdbcSettings jdbc = JdbcSettings.from(options.as(JdbcOptions.class));
    SimulatedClock clock = SimulatedClock.from(options, config.signals().zone());
    Map<String, Object> kafkaClient = KafkaClientConfig.fromFile(options.getKafkaProperties());
    KafkaSinks.Delivery delivery = KafkaSinks.Delivery.from(options.as(ExactlyOnceOptions.class), kafkaClient);
    OperationsTables operations = operationsTables(options);
    SearchSettings search = search(options);
    List<String> created;
    try {
      created = new java.util.ArrayList<>(tables.createMissing(jdbc));
      created.addAll(operations.createMissing(jdbc));
    } catch (IllegalArgumentException e) {
      err.println(NAME + ": --jdbcUrl: " + e.getMessage());
      return StallWatch.FAILED;
    } catch (SQLException e) {
      err.println(NAME + ": cannot create the classroom tables at " + jdbc + ": " + StallWatch.firstLine(e.getMessage()));
      return StallWatch.FAILED;
    }
    if (search != null) {
      try {
        if (SearchIndexes.createIfMissing(search, CountsRows.REGISTRATION_MAPPING)) {
          created.add("index " + search.index());
        }
      } catch (java.io.IOException | RuntimeException e) {
        err.println(NAME + ": --searchUrl: cannot create index " + search.index() + " at " + search.url() + ": " + StallWatch.rootMessage(e));
        return StallWatch.FAILED;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return StallWatch.FAILED;
      }
    }
    ClassroomStreamingJob.Io io =
        new ClassroomStreamingJob.Io(options.getBootstrapServers(), topics, kafkaClient, clock, bounds(options));
    Pipeline pipeline =
        ClassroomStreamingJob.create(
            options, config, io, delivery, new ClassroomStreamingJob.Tables(jdbc, tables, operations, search));
    err.printf(
        "%s: %s topics %s on %s, %s; %s to %s (%s), dead letters to %s (at least once); tables %s, %s, %s, %s, %s at %s (%s); C6 to %s%n",
        NAME,
        options.getBootstrapServers(),
        String.join(", ", topics.inputs()),
        options.getRunner().getSimpleName(),
        clock,
        "C1",
        topics.signalsOut(),
        options.getExactlyOnce() ? "exactly once, sink group " + options.getSinkGroupId() + "-" + topics.signalsOut() : "at least once",
        topics.deadLetters(),
        tables.signalAnalysis(),
        tables.takeTime(),
        tables.avRecord(),
        operations.levels(),
        operations.staffIndex(),
        jdbc,
        created.isEmpty()
            ? "all there already"
            : "created from the shipped DDL: " + String.join(", ", created),
        search == null ? "table " + operations.registrations() : search);
    try {
      PipelineResult result = pipeline.run();
      if (options.getDetached()) {
        err.println(NAME + ": the job is submitted and runs on until it is stopped");
        return StallWatch.OK;
      }
      PipelineResult.State state = result.waitUntilFinish();
      err.println(NAME + ": the job ended: " + state);
      return state == PipelineResult.State.FAILED ? StallWatch.FAILED : StallWatch.OK;
    } catch (RuntimeException e) {
      err.println(NAME + ": the job failed: " + StallWatch.rootMessage(e));
      return StallWatch.FAILED;
    }
  }
}
