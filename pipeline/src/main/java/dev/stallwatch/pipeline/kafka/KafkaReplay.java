package dev.stallwatch.pipeline.kafka;

import dev.stallwatch.domain.RawRow;
import dev.stallwatch.generate.JourneyGenerator;
import dev.stallwatch.text.EventTimes;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Generated journeys as the change stream would carry them: each row sent to the topic when a
 * {@link SimulatedClock} reaches its arrival time, which is its event time plus a random delay below
 * {@code maxDelay} (rows arrive out of order, but never later than the job's bound allows). Rows
 * whose time cannot be read (bad on purpose) are sent among the others. The record key is the
 * mobile, as the source's change capture keys it, so one applicant's rows share a partition.
 */
public final class KafkaReplay {
  /** One message and when it is due, in simulated milliseconds. */
  public static final class Message {
    public final long dueMillis;
    public final String key;
    public final String json;

    Message(long dueMillis, String key, String json) {
      this.dueMillis = dueMillis;
      this.key = key;
      this.json = json;
    }

    /** The row as the job will see it, for the reference model. */
    public RawRow row() {
      return RawRow.json("kafka", json);
    }
  }

  private final List<Message> messages;

  private KafkaReplay(List<Message> messages) {
    this.messages = messages;
  }

  /** Schedules {@code generator}'s rows, deterministically for {@code seed}. */
  public static KafkaReplay of(JourneyGenerator generator, long seed, ZoneId zone, long maxDelayMillis) {
    Random random = new Random(seed ^ 0x2545F4914F6CDD1DL);
    List<Map<String, String>> rows = generator.rows();
    List<Message> messages = new ArrayList<>(rows.size());
    List<Integer> unreadable = new ArrayList<>();
    for (Map<String, String> row : rows) {
      long due;
      try {
        due = EventTimes.parse(row.getOrDefault("last_update_datetime", ""), zone);
        due += maxDelayMillis > 0 ? (long) (random.nextDouble() * maxDelayMillis) : 0;
      } catch (IllegalArgumentException e) {
        unreadable.add(messages.size());
        due = Long.MIN_VALUE;
      }
      messages.add(new Message(due, row.getOrDefault("mobile_tel", ""), JourneyGenerator.toJson(row, random)));
    }
    long first = messages.stream().mapToLong(m -> m.dueMillis).filter(t -> t != Long.MIN_VALUE).min().orElse(0);
    long last = messages.stream().mapToLong(m -> m.dueMillis).max().orElse(0);
    for (int i : unreadable) {
      Message m = messages.get(i);
      messages.set(i, new Message(first + (long) (random.nextDouble() * (last - first)), m.key, m.json));
    }
    messages.sort(Comparator.comparingLong(m -> m.dueMillis));
    return new KafkaReplay(messages);
  }

  /** The messages due in {@code [fromMillis, toMillis)} of simulated time. */
  public KafkaReplay between(long fromMillis, long toMillis) {
    List<Message> inside = new ArrayList<>();
    for (Message m : messages) {
      if (m.dueMillis >= fromMillis && m.dueMillis < toMillis) {
        inside.add(m);
      }
    }
    return new KafkaReplay(inside);
  }

  public List<Message> messages() {
    return messages;
  }

  /** The rows as the job reads them, for the reference model. */
  public List<RawRow> rows() {
    List<RawRow> rows = new ArrayList<>(messages.size());
    messages.forEach(m -> rows.add(m.row()));
    return rows;
  }

  /** Simulated time of the first message (the clock should start a little before it). */
  public long firstDueMillis() {
    return messages.isEmpty() ? 0 : messages.get(0).dueMillis;
  }

  public long lastDueMillis() {
    return messages.isEmpty() ? 0 : messages.get(messages.size() - 1).dueMillis;
  }

  /**
   * Sends every message to {@code topic} at its due time on {@code clock}, then flushes; answers the
   * number sent. {@code client} holds extra producer settings.
   */
  public long send(String bootstrapServers, String topic, Map<String, Object> client, SimulatedClock clock)
      throws InterruptedException {
    Map<String, Object> config = new HashMap<>(client);
    config.put("bootstrap.servers", bootstrapServers);
    config.put("enable.idempotence", true);
    config.put("acks", "all");
    config.put("linger.ms", 5);
    long sent = 0;
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer())) {
      List<Future<RecordMetadata>> pending = new ArrayList<>();
      for (Message m : messages) {
        clock.sleepUntil(m.dueMillis);
        pending.add(producer.send(new ProducerRecord<>(topic, m.key, m.json.getBytes(StandardCharsets.UTF_8))));
        sent++;
      }
      producer.flush();
      for (Future<RecordMetadata> f : pending) {
        try {
          f.get();
        } catch (java.util.concurrent.ExecutionException e) {
          throw new IllegalStateException("cannot send to " + topic + ": " + e.getCause().getMessage(), e);
        }
      }
    }
    return sent;
  }
}
