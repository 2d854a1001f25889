package dev.stallwatch.runners;

import dev.stallwatch.domain.RawRow;
import dev.stallwatch.generate.JourneyGenerator;
import dev.stallwatch.pipeline.SimulatedClock;
import dev.stallwatch.text.EventTimes;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Generated journeys sent to the change-stream topic on a simulated clock, in a thread of their own
 * while the test injects faults: each row when the clock reaches its event time plus a random delay
 * below {@code maxDelay} (rows with an unreadable time, bad on purpose, at a random moment among
 * the others). Keyed by mobile, so one applicant's rows share a partition. The producer is
 * idempotent and waits out a broker that is away (its records stay buffered and are sent when the
 * broker is back).
 */
final class ReplayFeed {
  /** One message and the simulated time it is due. */
  static final class Message {
    final long dueMillis;
    final String key;
    final String json;

    Message(long dueMillis, String key, String json) {
      this.dueMillis = dueMillis;
      this.key = key;
      this.json = json;
    }
  }

  private final List<Message> messages;
  private final AtomicLong sent = new AtomicLong();
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private Thread thread;

  private ReplayFeed(List<Message> messages) {
    this.messages = messages;
  }

  /**
   * The rows of {@code generator} whose event time lies in {@code [fromMillis, toMillis)}, and its
   * bad rows, scheduled deterministically for {@code seed}.
   */
  static ReplayFeed of(
      JourneyGenerator generator, ZoneId zone, long fromMillis, long toMillis, long maxDelayMillis, long seed) {
    Random random = new Random(seed);
    List<Message> messages = new ArrayList<>();
    for (Map<String, String> row : generator.rows()) {
      String key = row.getOrDefault("mobile_tel", "");
      String json = JourneyGenerator.toJson(row, random);
      long due;
      try {
        long time = EventTimes.parse(row.getOrDefault("last_update_datetime", ""), zone);
        if (time < fromMillis || time >= toMillis) {
          continue;
        }
        due = time + (long) (random.nextDouble() * maxDelayMillis);
      } catch (IllegalArgumentException e) {
        due = fromMillis + (long) (random.nextDouble() * (toMillis - fromMillis));
      }
      messages.add(new Message(due, key, json));
    }
    messages.sort(Comparator.comparingLong(m -> m.dueMillis));
    return new ReplayFeed(messages);
  }

  List<Message> messages() {
    return messages;
  }

  /** The rows as the job reads them, for the reference model. */
  List<RawRow> rows() {
    List<RawRow> rows = new ArrayList<>(messages.size());
    messages.forEach(m -> rows.add(RawRow.json("kafka", m.json)));
    return rows;
  }

  long firstDueMillis() {
    return messages.get(0).dueMillis;
  }

  long lastDueMillis() {
    return messages.get(messages.size() - 1).dueMillis;
  }

  /** Starts sending to {@code topic} on {@code clock}. */
  void start(String bootstrapServers, String topic, SimulatedClock clock) {
    thread =
        new Thread(
            () -> {
              Properties p = new Properties();
              p.put("bootstrap.servers", bootstrapServers);
              p.put("enable.idempotence", "true");
              p.put("acks", "all");
              p.put("linger.ms", "5");
              p.put("delivery.timeout.ms", "300000");
              p.put("max.block.ms", "300000");
              try (KafkaProducer<String, byte[]> producer =
                  new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
                for (Message m : messages) {
                  clock.sleepUntil(m.dueMillis);
                  producer.send(
                      new ProducerRecord<>(topic, m.key, m.json.getBytes(StandardCharsets.UTF_8)),
                      (metadata, error) -> {
                        if (error != null) {
                          failure.compareAndSet(null, error);
                        } else {
                          sent.incrementAndGet();
                        }
                      });
                }
                producer.flush();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              } catch (RuntimeException e) {
                failure.compareAndSet(null, e);
              }
            },
            "replay-feed");
    thread.setDaemon(true);
    thread.start();
  }

  /** Waits until every message is acknowledged by the broker; fails if one could not be sent. */
  long awaitSent(long timeoutMillis) throws InterruptedException {
    thread.join(timeoutMillis);
    if (failure.get() != null) {
      throw new AssertionError("the replay could not send a row", failure.get());
    }
    if (thread.isAlive() || sent.get() != messages.size()) {
      throw new AssertionError("the replay sent " + sent.get() + " of " + messages.size() + " rows in time");
    }
    return sent.get();
  }

  void stop() {
    if (thread != null) {
      thread.interrupt();
    }
  }
}
