package dev.stallwatch.pipeline;

import dev.stallwatch.domain.Alert;
import dev.stallwatch.domain.BadRecord;
import dev.stallwatch.domain.Route;
import dev.stallwatch.domain.StallConfig;
import java.util.HashMap;
import java.util.Map;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.kafka.KafkaIO;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Writes the streaming job's outputs to Kafka: each route's alerts to the route's topic (key =
 * mobile, value = the alert JSON), dead letters to the dead-letter topic (key = origin).
 *
 * <p>{@link Delivery#exactlyOnce} uses KafkaIO's exactly-once sink for the route topics: records
 * are numbered per shard, and each shard writes them in Kafka transactions that also store, in a
 * consumer group of its own, the last number written; a replay after a failure skips what that
 * group says is written. On Flink the sink's writer takes its input only once a checkpoint holding
 * it has completed ({@code @RequiresStableInput}), so records reach readers (read_committed) up to
 * one checkpoint interval later, and it commits one transaction per record. Its producers are
 * {@link GuardedTransactionalProducer}s, which Beam's writer can reuse after an attempt that failed
 * mid-transaction; the consumer it reads its progress with gets the job's Kafka client settings
 * (security), which KafkaIO would not pass it.
 *
 * <p>The dead-letter topic, and the route topics under {@link Delivery#atLeastOnce}, use KafkaIO's
 * plain producer (flushed before every checkpoint): after a failure, what was written since the
 * last checkpoint is written again. Dead letters always go that way: bad input can come in floods
 * (a broken upstream deploy sends thousands a minute), more than one transaction per record keeps
 * up with, and a repeated dead letter is known by its origin.
 */
final class KafkaSinks {
  private KafkaSinks() {}

  /** How alerts reach the route topics. */
  static final class Delivery implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    private final String sinkGroupPrefix;
    private final int shards;
    private final HashMap<String, Object> client;

    private Delivery(String sinkGroupPrefix, int shards, Map<String, Object> client) {
      this.sinkGroupPrefix = sinkGroupPrefix;
      this.shards = shards;
      this.client = new HashMap<>(client);
    }

    static Delivery atLeastOnce() {
      return new Delivery(null, 0, Map.of());
    }

    /**
     * Exactly once, each route topic's sink keeping its progress in consumer group {@code
     * prefix-topic}, read with the Kafka client settings {@code client} (security, no secrets: see
     * {@link RunCommand#kafkaProperties}). One shard per topic: the alert volume is small, and a
     * shard is a sequence of transactions of its own (the records are still spread over the topic's
     * partitions by key).
     */
    static Delivery exactlyOnce(String sinkGroupPrefix, Map<String, Object> client) {
      if (sinkGroupPrefix == null || sinkGroupPrefix.isBlank()) {
        throw new IllegalArgumentException("the exactly-once sinks need a consumer group prefix");
      }
      return new Delivery(sinkGroupPrefix, 1, client);
    }

    boolean isExactlyOnce() {
      return sinkGroupPrefix != null;
    }

    /**
     * The consumer group holding the progress of {@code topic}'s sink. Every sink needs its own:
     * KafkaIO caches its transactional producers per group and shard number, so two topics sharing
     * a group would take each other's producer.
     */
    String sinkGroup(String topic) {
      return sinkGroupPrefix + "-" + topic;
    }

    @Override
    public String toString() {
      return isExactlyOnce()
          ? "route topics exactly once (sink groups " + sinkGroupPrefix + "-TOPIC), dead letters at least once"
          : "at least once";
    }
  }

  /**
   * The consumer the exactly-once sink reads its progress with: KafkaIO gives it only the bootstrap
   * servers, the group and the deserializers, so against a secured cluster it could not log in.
   */
  private static final class ProgressConsumers
      implements SerializableFunction<Map<String, Object>, Consumer<byte[], byte[]>> {
    private static final long serialVersionUID = 1L;
    private final HashMap<String, Object> client;

    ProgressConsumers(HashMap<String, Object> client) {
      this.client = client;
    }

    @Override
    public Consumer<byte[], byte[]> apply(Map<String, Object> config) {
      Map<String, Object> all = new HashMap<>(client);
      all.putAll(config);
      return new KafkaConsumer<>(all, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }
  }

  static Map<String, Object> producerConfig(Map<String, Object> extra) {
    Map<String, Object> config = new HashMap<>();
    config.put("acks", "all");
    config.put("enable.idempotence", true);
    config.putAll(extra);
    return config;
  }

  static void write(
      StallJob.Outputs outputs,
      StallConfig config,
      String bootstrapServers,
      String deadLetterTopic,
      Map<String, Object> producerConfig,
      Delivery delivery) {
    for (Route route : config.routes()) {
      String name = route.name();
      outputs
          .alerts()
          .apply("Route-" + name, Filter.by((Alert a) -> a.route().equals(name)))
          .apply(
              "Record-" + name,
              MapElements.into(TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.strings()))
                  .via((Alert a) -> KV.of(a.mobile(), a.toJson())))
          .setCoder(KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of()))
          .apply("Write-" + name, writeTo(bootstrapServers, route.topic(), producerConfig, delivery));
    }
    PCollection<KV<String, String>> dead =
        outputs
            .deadLetters()
            .apply(
                "DeadLetterRecord",
                MapElements.into(TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.strings()))
                    .via((BadRecord b) -> KV.of(b.origin(), b.toJson())))
            .setCoder(KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of()));
    dead.apply(
        "WriteDeadLetters", writeTo(bootstrapServers, deadLetterTopic, producerConfig, Delivery.atLeastOnce()));
  }

  private static KafkaIO.Write<String, String> writeTo(
      String bootstrapServers, String topic, Map<String, Object> producerConfig, Delivery delivery) {
    KafkaIO.Write<String, String> write =
        KafkaIO.<String, String>write()
            .withBootstrapServers(bootstrapServers)
            .withTopic(topic)
            .withKeySerializer(StringSerializer.class)
            .withValueSerializer(StringSerializer.class)
            .withProducerConfigUpdates(producerConfig);
    if (!delivery.isExactlyOnce()) {
      return write;
    }
    return write
        .withEOS(delivery.shards, delivery.sinkGroup(topic))
        .withProducerFactoryFn(GuardedTransactionalProducer.<String, String>factory())
        .withConsumerFactoryFn(new ProgressConsumers(delivery.client));
  }
}
