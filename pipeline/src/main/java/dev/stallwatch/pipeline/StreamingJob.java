package dev.stallwatch.pipeline;

import dev.stallwatch.domain.BadRecord;
import dev.stallwatch.domain.StallConfig;
import java.util.Map;
import java.util.function.Function;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.joda.time.Duration;

/**
 * The streaming job: the application table's change stream from Kafka in, each route's alerts to
 * its topic, every bad message to the dead-letter topic.
 */
final class StreamingJob {
  private StreamingJob() {}

  /**
   * The job's pipeline. {@code kafkaClient} holds extra client settings (security, credentials) for
   * the consumer and the producers; {@code dimensions} makes the side inputs in the pipeline.
   */
  static Pipeline create(
      RunOptions options,
      StallConfig config,
      SimulatedClock clock,
      Map<String, Object> kafkaClient,
      Function<Pipeline, StallJob.Dimensions> dimensions) {
    Pipeline pipeline = Pipeline.create(options);
    PCollectionTuple read =
        pipeline.apply(
            "ReadKafka",
            new KafkaRows(
                options.getBootstrapServers(),
                options.getInputTopic(),
                config.zoneId(),
                Duration.standardSeconds(options.getMaxOutOfOrderness()),
                Duration.standardSeconds(options.getIdleAfter()),
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
        options.getDeadLetterTopic(),
        KafkaSinks.producerConfig(kafkaClient));
    return pipeline;
  }
}
