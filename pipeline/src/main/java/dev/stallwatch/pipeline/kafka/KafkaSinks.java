package dev.stallwatch.pipeline.kafka;

import dev.stallwatch.domain.Alert;
import dev.stallwatch.domain.BadRecord;
import dev.stallwatch.domain.Route;
import dev.stallwatch.domain.StallConfig;
import dev.stallwatch.pipeline.options.ExactlyOnceOptions;
import java.util.HashMap;
import java.util.Map;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.kafka.KafkaIO;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Writes the streaming job's outputs to Kafka: each route's alerts to the route's topic (key =
 * mobile, value = the alert JSON), dead letters to the dead-letter topic (key = origin).
 *
 * <p>{@link Delivery#exactlyOnce} writes the route topics with {@link TransactionalTopic}: records
 * are numbered, and each topic's writer commits them in Kafka transactions that also store, in a
 * consumer group of the topic's own, the last number written; a replay after a failure skips what
 * that group says is written. On Flink the writer takes its input only once a checkpoint holding it
 * has completed ({@code @RequiresStableInput}), so records reach readers (read_committed) up to one
 * checkpoint interval later, a transaction per topic and checkpoint.
 *
 * <p>The dead-letter topic, and the route topics under {@link Delivery#atLeastOnce}, use KafkaIO's
 * plain producer (flushed before every checkpoint): after a failure, what was written since the
 * last checkpoint is written again. Dead letters always go that way: they are for people looking
 * into bad input, who should see them at once rather than a checkpoint later, and a repeated dead
 * letter is known by its origin.
 */
public final class KafkaSinks {
  private KafkaSinks() {}

  /** How alerts reach the route topics. */
  public static final class Delivery implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    private final String sinkGroupPrefix;
    private final HashMap<String, Object> client;

    private Delivery(String sinkGroupPrefix, Map<String, Object> client) {
      this.sinkGroupPrefix = sinkGroupPrefix;
      this.client = new HashMap<>(client);
    }

    /** What {@code --exactlyOnce} and {@code --sinkGroupId} ask for, reading progress with {@code client}. */
    public static Delivery from(ExactlyOnceOptions options, Map<String, Object> client) {
      return options.getExactlyOnce() ? exactlyOnce(options.getSinkGroupId(), client) : atLeastOnce();
    }

    public static Delivery atLeastOnce() {
      return new Delivery(null, Map.of());
    }

    /**
     * Exactly once, each route topic's sink keeping its progress in consumer group {@code
     * prefix-topic}, read with the Kafka client settings {@code client} (security, no secrets: see
     * {@link KafkaClientConfig}).
     */
    public static Delivery exactlyOnce(String sinkGroupPrefix, Map<String, Object> client) {
      if (sinkGroupPrefix == null || sinkGroupPrefix.isBlank()) {
        throw new IllegalArgumentException("the exactly-once sinks need a consumer group prefix");
      }
      return new Delivery(sinkGroupPrefix, client);
    }

    boolean isExactlyOnce() {
      return sinkGroupPrefix != null;
    }

    /**
     * The consumer group holding the progress of {@code topic}'s sink. Every sink needs its own:
     * the group also names the sink's transactional producer, and two topics sharing it would
     * fence each other's.
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

  public static Map<String, Object> producerConfig(Map<String, Object> extra) {
    Map<String, Object> config = new HashMap<>();
    config.put("acks", "all");
    config.put("enable.idempotence", true);
    config.putAll(extra);
    return config;
  }

  /** Writes {@code alerts} to their routes' topics and {@code deadLetters} to {@code deadLetterTopic}. */
  public static void write(
      PCollection<Alert> alerts,
      PCollection<BadRecord> deadLetters,
      StallConfig config,
      String bootstrapServers,
      String deadLetterTopic,
      Map<String, Object> producerConfig,
      Delivery delivery) {
    for (Route route : config.routes()) {
      String name = route.name();
      alerts
          .apply("Route-" + name, Filter.by((Alert a) -> a.route().equals(name)))
          .apply(
              "Record-" + name,
              MapElements.into(TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.strings()))
                  .via((Alert a) -> KV.of(a.mobile(), a.toJson())))
          .setCoder(KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of()))
          .apply("Write-" + name, writeTo(bootstrapServers, route.topic(), producerConfig, delivery));
    }
    PCollection<KV<String, String>> dead =
        deadLetters
            .apply(
                "DeadLetterRecord",
                MapElements.into(TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.strings()))
                    .via((BadRecord b) -> KV.of(b.origin(), b.toJson())))
            .setCoder(KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of()));
    dead.apply(
        "WriteDeadLetters", writeTo(bootstrapServers, deadLetterTopic, producerConfig, Delivery.atLeastOnce()));
  }

  private static PTransform<PCollection<KV<String, String>>, PDone> writeTo(
      String bootstrapServers, String topic, Map<String, Object> producerConfig, Delivery delivery) {
    if (delivery.isExactlyOnce()) {
      Map<String, Object> client = new HashMap<>(delivery.client);
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
}
