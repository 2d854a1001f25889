package dev.stallwatch.pipeline;

import dev.stallwatch.domain.BadRecord;
import dev.stallwatch.domain.StallConfig;
import dev.stallwatch.pipeline.jdbc.AuditTable;
import dev.stallwatch.pipeline.jdbc.DimensionTables;
import dev.stallwatch.pipeline.jdbc.JdbcSettings;
import dev.stallwatch.pipeline.jdbc.RefreshedDimensions;
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
 */
public final class StreamingJob {
  private StreamingJob() {}

  /**
   * The job's pipeline. {@code kafkaClient} holds extra client settings (security, credentials) for
   * the consumer and the producers; {@code dimensions} makes the side inputs in the pipeline;
   * {@code audit}, when not null, receives every alert.
   */
  public static Pipeline create(
      RunOptions options,
      StallConfig config,
      IoNames names,
      SimulatedClock clock,
      Map<String, Object> kafkaClient,
      Function<Pipeline, StallJob.Dimensions> dimensions,
      AuditTable audit) {
    Pipeline pipeline = Pipeline.create(options);
    PCollectionTuple read =
        pipeline.apply(
            "ReadKafka",
            new KafkaRows(
                options.getBootstrapServers(),
                names.inputTopic(),
                config.zoneId(),
                new EventTimePolicy.Bounds(
                    Duration.standardSeconds(options.getMaxOutOfOrderness()),
                    Duration.standardSeconds(options.getIdleAfter()),
                    config.allowedLateness(),
                    Duration.standardSeconds(options.getMaxFutureSkew())),
                clock,
                kafkaClient));
    StallJob.Outputs outputs =
        StallJob.build(read.get(KafkaRows.ROWS), config, dimensions.apply(pipeline), options.getKeyBuckets());
    PCollection<BadRecord> deadLetters =
        PCollectionList.of(outputs.deadLetters())
            .and(read.get(KafkaRows.UNREADABLE))
            .apply("AllDeadLetters", Flatten.pCollections());
    KafkaSinks.write(
        new StallJob.Outputs(outputs.alerts(), deadLetters),
        config,
        options.getBootstrapServers(),
        names.deadLetterTopic(),
        KafkaSinks.producerConfig(kafkaClient));
    if (audit != null) {
      outputs.alerts().apply("AuditTable", audit);
    }
    return pipeline;
  }

  /** The dimension tables {@code names} gives, in the database {@code settings} describes. */
  public static DimensionTables tables(IoNames names) {
    return DimensionTables.defaults()
        .withBlacklist(names.blacklistTable())
        .withExistingCustomers(names.existingCustomerTable())
        .withChannels(names.channelTable());
  }

  /** Side inputs read from the database and reloaded every {@code refresh}. */
  public static Function<Pipeline, StallJob.Dimensions> refreshed(
      JdbcSettings settings, IoNames names, Duration refresh) {
    return pipeline -> {
      RefreshedDimensions.Views views =
          pipeline.apply("Dimensions", RefreshedDimensions.of(settings, tables(names)).every(refresh));
      return new StallJob.Dimensions(views.blacklist(), views.channels());
    };
  }
}
