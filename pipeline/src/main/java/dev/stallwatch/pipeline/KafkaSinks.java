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
 */
final class KafkaSinks {
  private KafkaSinks() {}

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
      Map<String, Object> producerConfig) {
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
          .apply("Write-" + name, writeTo(bootstrapServers, route.topic(), producerConfig));
    }
    PCollection<KV<String, String>> dead =
        outputs
            .deadLetters()
            .apply(
                "DeadLetterRecord",
                MapElements.into(TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.strings()))
                    .via((BadRecord b) -> KV.of(b.origin(), b.toJson())))
            .setCoder(KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of()));
    dead.apply("WriteDeadLetters", writeTo(bootstrapServers, deadLetterTopic, producerConfig));
  }

  private static KafkaIO.Write<String, String> writeTo(
      String bootstrapServers, String topic, Map<String, Object> producerConfig) {
    return KafkaIO.<String, String>write()
        .withBootstrapServers(bootstrapServers)
        .withTopic(topic)
        .withKeySerializer(StringSerializer.class)
        .withValueSerializer(StringSerializer.class)
        .withProducerConfigUpdates(producerConfig);
  }
}
