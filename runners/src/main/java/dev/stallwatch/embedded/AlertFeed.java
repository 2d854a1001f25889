package dev.stallwatch.embedded;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads topics from the beginning with {@code isolation.level=read_committed} on a thread of its
 * own, keeping every record's value and broker timestamp and handing each to a listener as it
 * arrives. The embedded default prints and counts the job's alerts with it; tests check topics with
 * it.
 */
final class AlertFeed implements AutoCloseable {
  /** A record read: its topic, value and timestamp (epoch milliseconds). */
  static final class Received {
    final String topic;
    final String key;
    final String value;
    final long timestampMillis;

    Received(String topic, String key, String value, long timestampMillis) {
      this.topic = topic;
      this.key = key;
      this.value = value;
      this.timestampMillis = timestampMillis;
    }
  }

  private final KafkaConsumer<String, String> consumer;
  private final Map<String, List<Received>> byTopic = new ConcurrentHashMap<>();
  private final Thread thread;
  private volatile boolean closed;

  AlertFeed(String bootstrapServers, Collection<String> topics, Map<String, Object> client, BiConsumer<String, Received> listener) {
    Properties props = new Properties();
    props.putAll(client);
    props.put("bootstrap.servers", bootstrapServers);
    props.put("isolation.level", "read_committed");
    props.put("auto.offset.reset", "earliest");
    props.put("enable.auto.commit", "false");
    props.put("group.id", "stallwatch-feed-" + System.nanoTime());
    consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
    consumer.subscribe(List.copyOf(topics));
    topics.forEach(t -> byTopic.put(t, new CopyOnWriteArrayList<>()));
    thread =
        new Thread(
            () -> {
              try {
                while (!closed) {
                  for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    Received received = new Received(r.topic(), r.key(), r.value(), r.timestamp());
                    byTopic.get(r.topic()).add(received);
                    listener.accept(r.topic(), received);
                  }
                }
              } catch (WakeupException e) {
                // closing
              } finally {
                consumer.close();
              }
            },
            "stallwatch-alert-feed");
    thread.setDaemon(true);
    thread.start();
  }

  /** What was read from {@code topic} so far. */
  List<Received> received(String topic) {
    return new ArrayList<>(byTopic.getOrDefault(topic, List.of()));
  }

  int count(String topic) {
    return byTopic.getOrDefault(topic, List.of()).size();
  }

  @Override
  public void close() {
    closed = true;
    consumer.wakeup();
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
