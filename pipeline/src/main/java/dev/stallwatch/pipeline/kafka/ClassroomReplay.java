package dev.stallwatch.pipeline.kafka;

import dev.stallwatch.classroom.generate.ClassroomGenerator;
import dev.stallwatch.classroom.generate.ClassroomGenerator.Generated;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Sends a {@link ClassroomGenerator}'s messages to the classroom topics as their producers would:
 * each when a {@link SimulatedClock} reaches its due time (so the late and out-of-order ones arrive
 * late and out of order, and duplicates twice), keyed by the user id, with the producer settings of
 * the stall family's sinks ({@link KafkaSinks#producerConfig}: every replica acknowledges, the
 * producer is idempotent). Messages are streamed from the generator: the heap holds one lesson
 * period at a time.
 */
public final class ClassroomReplay {
  private ClassroomReplay() {}

  /** The generator's topics sent to themselves. */
  public static Map<String, String> sameTopics() {
    Map<String, String> topics = new LinkedHashMap<>();
    ClassroomGenerator.ALL_TOPICS.forEach(t -> topics.put(t, t));
    return topics;
  }

  /** The due time of the generator's first message (a clock should start a little before it). */
  public static long firstDueMillis(ClassroomGenerator generator) {
    Iterator<Generated> it = generator.iterator();
    return it.hasNext() ? it.next().dueMillis() : 0;
  }

  /**
   * Sends every message to {@code topics.get(its topic)} at its due time on {@code clock}, then
   * flushes; answers the number sent per generated topic. {@code client} holds extra producer
   * settings ({@code --kafkaProperties}).
   *
   * @throws IllegalStateException when the cluster refuses a message, naming the topic
   */
  public static Map<String, Long> send(
      ClassroomGenerator generator,
      String bootstrapServers,
      Map<String, String> topics,
      Map<String, Object> client,
      SimulatedClock clock)
      throws InterruptedException {
    for (String t : generator.topics()) {
      if (topics.get(t) == null || topics.get(t).isBlank()) {
        throw new IllegalArgumentException("no topic to send the " + t + " messages to");
      }
    }
    Map<String, Object> config = new HashMap<>(KafkaSinks.producerConfig(client));
    config.put("bootstrap.servers", bootstrapServers);
    config.putIfAbsent("linger.ms", 5);
    Map<String, Long> sent = new LinkedHashMap<>();
    generator.topics().forEach(t -> sent.put(t, 0L));
    AtomicReference<String> failure = new AtomicReference<>();
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer())) {
      for (Generated g : generator) {
        clock.sleepUntil(g.dueMillis());
        String topic = topics.get(g.topic());
        producer.send(
            new ProducerRecord<>(topic, g.key(), g.json().getBytes(StandardCharsets.UTF_8)),
            (metadata, e) -> {
              if (e != null) {
                failure.compareAndSet(null, "cannot send to " + topic + ": " + e.getMessage());
              }
            });
        sent.merge(g.topic(), 1L, Long::sum);
        if (failure.get() != null) {
          break;
        }
      }
      producer.flush();
    }
    if (failure.get() != null) {
      throw new IllegalStateException(failure.get());
    }
    return sent;
  }
}
