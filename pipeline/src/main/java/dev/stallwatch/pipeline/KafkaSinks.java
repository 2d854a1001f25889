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
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Writes the streaming job's outputs to Kafka: each route's alerts to the route's topic (key =
 * mobile, value = the alert JSON), dead letters to the dead-letter topic (key = origin).
 *
 * <p>{@link Delivery#exactlyOnce} uses KafkaIO's exactly-once sink on every topic: records are
 * numbered per shard, and each shard writes them in Kafka transactions that also store, in a
 * consumer group of its own, the last number written; a replay after a failure skips what that
 * group says is written. On Flink the sink's writer takes its input only once a checkpoint holding
 * it has completed ({@code @RequiresStableInput}), so records reach readers (read_committed) up to
 * one checkpoint interval later. Its producers are {@link GuardedTransactionalProducer}s, which
 * Beam's writer can reuse after an attempt that failed mid-transaction. {@link
 * Delivery#atLeastOnce} is KafkaIO's plain producer (flushed
 * before every checkpoint): after a failure, what was written since the last checkpoint is written
 * again.
 */
final class KafkaSinks {
  private KafkaSinks() {}

  /** How records reach the topics. */
  static final class Delivery implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    private final String sinkGroupPrefix;
    private final int shards;

    private Delivery(String sinkGroupPrefix, int shards) {
      this.sinkGroupPrefix = sinkGroupPrefix;
      this.shards = shards;
    }

    static Delivery atLeastOnce() {
      return new Delivery(null, 0);
    }

    /**
     * Exactly once, each topic's sink keeping its progress in consumer group {@code
     * prefix-topic}. One shard per topic: the alert volume is small, and a shard is a sequence of
     * transactions of its own (the records are still spread over the topic's partitions by key).
     */
    static Delivery exactlyOnce(String sinkGroupPrefix) {
      if (sinkGroupPrefix == null || sinkGroupPrefix.isBlank()) {
        throw new IllegalArgumentException("the exactly-once sinks need a consumer group prefix");
      }
      return new Delivery(sinkGroupPrefix, 1);
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
      return isExactlyOnce() ? "exactly once (sink groups " + sinkGroupPrefix + "-TOPIC)" : "at least once";
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
    dead.apply("WriteDeadLetters", writeTo(bootstrapServers, deadLetterTopic, producerConfig, delivery));
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
        .withProducerFactoryFn(GuardedTransactionalProducer.<String, String>factory());
  }
}
