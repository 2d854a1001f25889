package dev.stallwatch.pipeline.stall;

import dev.stallwatch.domain.Alert;
import dev.stallwatch.domain.BadRecord;
import dev.stallwatch.pipeline.config.IoNames;
import dev.stallwatch.pipeline.config.JobConfig;
import dev.stallwatch.pipeline.jdbc.AuditTable;
import dev.stallwatch.pipeline.jdbc.DimensionTables;
import dev.stallwatch.pipeline.jdbc.JdbcSettings;
import dev.stallwatch.pipeline.jdbc.RefreshedDimensions;
import dev.stallwatch.pipeline.kafka.EventTimePolicy;
import dev.stallwatch.pipeline.kafka.KafkaRows;
import dev.stallwatch.pipeline.kafka.KafkaSinks;
import dev.stallwatch.pipeline.kafka.SimulatedClock;
import dev.stallwatch.pipeline.options.RunOptions;
import java.util.Map;
import java.util.function.Function;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.joda.time.Duration;

/**
 * The streaming job: the application table's change stream from Kafka in; each route's alerts to
 * its topic and, with a database, to the audit table; every bad message to the dead-letter topic.
 *
 * <p>{@link #create} composes three public pieces — {@link #readRows}, {@link StallGraph#build}
 * and {@link #writeOutputs} — under the step names savepoints know; a test that needs steps of its
 * own between them (faults, observers) composes the same pieces itself.
 */
public final class StreamingJob {
  private StreamingJob() {}

  /** Where the job reads and writes: its Kafka client settings, topics, tables and clock. */
  public record Io(
      String bootstrapServers, IoNames names, Map<String, Object> kafkaClient, SimulatedClock clock) {}

  /**
   * The job's pipeline. {@code dimensions} makes the side inputs in the pipeline; {@code audit},
   * when not null, receives every alert.
   */
  public static Pipeline create(
      RunOptions options,
      JobConfig config,
      Io io,
      Function<Pipeline, StallGraph.Dimensions> dimensions,
      AuditTable audit) {
    Pipeline pipeline = Pipeline.create(options);
    PCollectionTuple read = readRows(pipeline, options, config, io);
    StallGraph.Outputs outputs =
        StallGraph.build(read.get(KafkaRows.ROWS), config.stall(), dimensions.apply(pipeline), options.getKeyBuckets());
    writeOutputs(outputs.alerts(), allDeadLetters(outputs, read), options, config, io, audit);
    return pipeline;
  }

  /** Step {@code ReadKafka}: the raw rows ({@link KafkaRows#ROWS}) and unreadable messages. */
  public static PCollectionTuple readRows(Pipeline pipeline, RunOptions options, JobConfig config, Io io) {
    return pipeline.apply(
        "ReadKafka",
        new KafkaRows(
            io.bootstrapServers(),
            io.names().inputTopic(),
            config.stall().zoneId(),
            EventTimePolicy.Bounds.from(options, config.stall().allowedLateness()),
            io.clock(),
            io.kafkaClient()));
  }

  /** Step {@code AllDeadLetters}: the graph's dead letters and the source's unreadable messages. */
  public static PCollection<BadRecord> allDeadLetters(StallGraph.Outputs outputs, PCollectionTuple read) {
    return PCollectionList.of(outputs.deadLetters())
        .and(read.get(KafkaRows.UNREADABLE))
        .apply("AllDeadLetters", Flatten.pCollections());
  }

  /** The route topics, the dead-letter topic and, when {@code audit} is not null, step {@code AuditTable}. */
  public static void writeOutputs(
      PCollection<Alert> alerts,
      PCollection<BadRecord> deadLetters,
      RunOptions options,
      JobConfig config,
      Io io,
      AuditTable audit) {
    KafkaSinks.write(
        alerts,
        deadLetters,
        config.stall(),
        io.bootstrapServers(),
        io.names().deadLetterTopic(),
        KafkaSinks.producerConfig(io.kafkaClient()),
        KafkaSinks.Delivery.from(options, io.kafkaClient()));
    if (audit != null) {
      alerts.apply("AuditTable", audit);
    }
  }

  /** The dimension tables {@code names} gives. */
  public static DimensionTables tables(IoNames names) {
    return DimensionTables.defaults()
        .withBlacklist(names.blacklistTable())
        .withExistingCustomers(names.existingCustomerTable())
        .withChannels(names.channelTable());
  }

  /** Side inputs read from the database and reloaded every {@code refresh}; tables may shrink by half. */
  public static Function<Pipeline, StallGraph.Dimensions> refreshed(
      JdbcSettings settings, IoNames names, Duration refresh) {
    return refreshed(settings, names, refresh, RefreshedDimensions.DEFAULT_MAX_SHRINK);
  }

  /**
   * Side inputs read from the database and reloaded every {@code refresh}; a reload in which a
   * table shrank by more than {@code maxShrink} (a fraction, 0..1) is refused.
   */
  public static Function<Pipeline, StallGraph.Dimensions> refreshed(
      JdbcSettings settings, IoNames names, Duration refresh, double maxShrink) {
    RefreshedDimensions.checkMaxShrink(maxShrink);
    return pipeline -> {
      RefreshedDimensions.Views views =
          pipeline.apply(
              "Dimensions",
              RefreshedDimensions.of(settings, tables(names)).every(refresh).withMaxShrink(maxShrink));
      return new StallGraph.Dimensions(views.blacklist(), views.channels());
    };
  }
}
