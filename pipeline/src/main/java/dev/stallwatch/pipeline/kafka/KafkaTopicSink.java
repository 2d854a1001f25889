package dev.stallwatch.pipeline.kafka;

import java.util.HashMap;
import java.util.Map;
import org.apache.beam.sdk.io.kafka.KafkaIO;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * One topic of (key, value) text records written as {@link KafkaSinks} writes the route topics:
 * under {@link KafkaSinks.Delivery#exactlyOnce} with {@link TransactionalTopic} (progress in the
 * consumer group {@code PREFIX-TOPIC}, records visible to read-committed readers once the checkpoint
 * that holds them completes), else with KafkaIO's plain producer (at least once, flushed before
 * every checkpoint). The classroom job writes C1's topic and its dead-letter topic with it.
 */
public final class KafkaTopicSink {
  private KafkaTopicSink() {}

  /**
   * The sink of {@code topic} on {@code bootstrapServers}; keys must not be null. {@code client} are
   * the Kafka client settings ({@code --kafkaProperties}) the exactly-once sink reads its progress
   * with, as {@link KafkaSinks.Delivery#from} was given them.
   */
  public static PTransform<PCollection<KV<String, String>>, PDone> of(
      String bootstrapServers,
      String topic,
      Map<String, Object> producerConfig,
      KafkaSinks.Delivery delivery,
      Map<String, Object> kafkaClient) {
    if (delivery.isExactlyOnce()) {
      Map<String, Object> client = new HashMap<>(kafkaClient);
      client.put("bootstrap.servers", bootstrapServers);
      return TransactionalTopic.to(topic, delivery.sinkGroup(topic), client);
    }
    return KafkaIO.<String, String>write()
        .withBootstrapServers(bootstrapServers)
        .withTopic(topic)
        .withKeySerializer(StringSerializer.class)
        .withValueSerializer(StringSerializer.class)
        .withProducerConfigUpdates(producerConfig);
  }

  /** Whether {@code delivery} writes exactly once. */
  public static boolean exactlyOnce(KafkaSinks.Delivery delivery) {
    return delivery.isExactlyOnce();
  }
}
