package dev.stallwatch.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.stallwatch.pipeline.embedded.EmbeddedKafka;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A transactional producer left in the middle of a transaction by a failed attempt can begin the
 * next one when guarded, on a real broker; the records of the abandoned transaction never reach a
 * read-committed reader.
 */
class GuardedTransactionalProducerIT {
  private static EmbeddedKafka kafka;

  @BeforeAll
  static void start() throws Exception {
    kafka = EmbeddedKafka.start();
  }

  @AfterAll
  static void stop() {
    if (kafka != null) {
      kafka.close();
    }
  }

  @Test
  void aPlainProducerCannotBeginWhileATransactionIsOpen() throws Exception {
    kafka.createTopics(Map.of("guard_plain", 1));
    try (Producer<String, String> plain = new KafkaProducer<>(config("plain"))) {
      plain.initTransactions();
      plain.beginTransaction();
      plain.send(new ProducerRecord<>("guard_plain", "k", "abandoned")).get();
      // what Beam's writer meets when it takes this producer from its cache after a failed attempt
      assertThrows(IllegalStateException.class, plain::beginTransaction);
    }
  }

  @Test
  void theGuardAbortsTheAbandonedTransactionAndGoesOn() throws Exception {
    kafka.createTopics(Map.of("guard_topic", 1));
    try (Producer<String, String> guarded =
        GuardedTransactionalProducer.<String, String>factory().apply(config("guarded"))) {
      guarded.initTransactions();
      guarded.beginTransaction();
      guarded.send(new ProducerRecord<>("guard_topic", "k", "abandoned")).get();
      // the attempt fails here: no commit, no abort

      guarded.beginTransaction();
      guarded.send(new ProducerRecord<>("guard_topic", "k", "committed")).get();
      guarded.commitTransaction();

      guarded.beginTransaction();
      guarded.send(new ProducerRecord<>("guard_topic", "k", "aborted")).get();
      guarded.abortTransaction();
      guarded.beginTransaction();
      guarded.send(new ProducerRecord<>("guard_topic", "k", "committed again")).get();
      guarded.commitTransaction();
    }
    assertEquals(List.of("committed", "committed again"), readCommitted("guard_topic"));
  }

  private static Map<String, Object> config(String transactionalId) {
    Map<String, Object> config = new HashMap<>();
    config.put("bootstrap.servers", kafka.bootstrapServers());
    config.put("transactional.id", transactionalId);
    config.put("enable.idempotence", true);
    config.put("key.serializer", StringSerializer.class);
    config.put("value.serializer", StringSerializer.class);
    return config;
  }

  private static List<String> readCommitted(String topic) {
    Properties p = new Properties();
    p.put("bootstrap.servers", kafka.bootstrapServers());
    p.put("isolation.level", "read_committed");
    List<String> values = new ArrayList<>();
    try (KafkaConsumer<String, String> c = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
      TopicPartition tp = new TopicPartition(topic, 0);
      c.assign(List.of(tp));
      c.seekToBeginning(List.of(tp));
      long end = c.endOffsets(List.of(tp)).get(tp);
      long until = System.currentTimeMillis() + 30_000;
      while (c.position(tp) < end && System.currentTimeMillis() < until) {
        for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(200))) {
          values.add(r.value());
        }
      }
    }
    return values;
  }
}
