package dev.stallwatch.pipeline;

import dev.stallwatch.domain.Alert;
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
   * A place between the job's stages where a transform can be put in: the job hands each of its
   * {@link #ROWS rows}, {@link #ALERTS alerts} and {@link #DEAD_LETTERS dead letters} to {@link
   * #apply} and goes on with what it answers. Production passes {@link #NONE}; tests pass
   * transforms that observe the stream or fail on purpose.
   */
  public interface Tap {
    /** The raw rows read from Kafka, before parsing. */
    String ROWS = "rows";
    /** Every route's alerts, before the topic and audit sinks. */
    String ALERTS = "alerts";
    /** All dead letters, before the dead-letter sink. */
    String DEAD_LETTERS = "deadLetters";

    /** Leaves the job as it is. */
    Tap NONE =
        new Tap() {
          @Override
          public <T> PCollection<T> apply(String stage, PCollection<T> values) {
            return values;
          }
        };

    /** What flows on after {@code stage}: {@code values}, or a transform of them with their coder. */
    <T> PCollection<T> apply(String stage, PCollection<T> values);
  }

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
    return create(options, config, names, clock, kafkaClient, dimensions, audit, Tap.NONE);
  }

  /** {@link #create(RunOptions, StallConfig, IoNames, SimulatedClock, Map, Function, AuditTable)}, with {@code tap} between the stages. */
  public static Pipeline create(
      RunOptions options,
      StallConfig config,
      IoNames names,
      SimulatedClock clock,
      Map<String, Object> kafkaClient,
      Function<Pipeline, StallJob.Dimensions> dimensions,
      AuditTable audit,
      Tap tap) {
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
        StallJob.build(
            tap.apply(Tap.ROWS, read.get(KafkaRows.ROWS)),
            config,
            dimensions.apply(pipeline),
            options.getKeyBuckets());
    PCollection<Alert> alerts = tap.apply(Tap.ALERTS, outputs.alerts());
    PCollection<BadRecord> deadLetters =
        tap.apply(
            Tap.DEAD_LETTERS,
            PCollectionList.of(outputs.deadLetters())
                .and(read.get(KafkaRows.UNREADABLE))
                .apply("AllDeadLetters", Flatten.pCollections()));
    KafkaSinks.write(
        new StallJob.Outputs(alerts, deadLetters),
        config,
        options.getBootstrapServers(),
        names.deadLetterTopic(),
        KafkaSinks.producerConfig(kafkaClient),
        delivery(options, kafkaClient));
    if (audit != null) {
      alerts.apply("AuditTable", audit);
    }
    return pipeline;
  }

  /**
   * The route topics' delivery {@code options} ask for: exactly once unless {@code
   * --exactlyOnce=false}, the sinks reading their progress with the client settings {@code
   * kafkaClient}.
   */
  static KafkaSinks.Delivery delivery(RunOptions options, Map<String, Object> kafkaClient) {
    return options.getExactlyOnce()
        ? KafkaSinks.Delivery.exactlyOnce(options.getSinkGroupId(), kafkaClient)
        : KafkaSinks.Delivery.atLeastOnce();
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
