package dev.stallwatch.pipeline.kafka;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One shard of a {@link TransactionalTopic}: a transactional producer that writes numbered records
 * at most once each, and commits, with each transaction, the highest number written as the
 * committed offset of partition {@code shard} of the topic in the sink's consumer group (offset =
 * number + 1, metadata {@value #MARK} and the numbering's epoch).
 *
 * <p>Records must be written in their numbers' order, without gaps ({@link #next()}).
 *
 * <p>{@link #open} starts the producer with transactional id {@code sinkGroup-shard}: the broker
 * then fences every older producer of that id and finishes or aborts the transaction it left open.
 * Only after that does it read what the group says is written, so that number is final. A writer is
 * used by one attempt; when anything fails, the caller closes it and the next attempt opens a new
 * one.
 */
final class ShardWriter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ShardWriter.class);
  /** Marks the offsets this sink commits, to tell them from a consumer's that uses the group. */
  static final String MARK = "stallwatch-transactional-topic epoch ";

  private final String topic;
  private final int shard;
  private final String sinkGroup;
  private final String epoch;
  private final Producer<String, String> producer;
  /** The highest number sent, in the open transaction or before it. */
  private long lastSent;
  private boolean open;

  private ShardWriter(
      String topic, int shard, String sinkGroup, String epoch, Producer<String, String> producer, long committed) {
    this.topic = topic;
    this.shard = shard;
    this.sinkGroup = sinkGroup;
    this.epoch = epoch;
    this.producer = producer;
    this.lastSent = committed;
  }

  /**
   * Opens the writer of {@code shard} for records numbered in {@code epoch}: what is written is the
   * larger of what the group holds and {@code floor} (the highest number the job's state says it
   * wrote; -1 for none). Refuses a group that holds another epoch's progress or another
   * application's offsets.
   */
  static ShardWriter open(
      String topic, int shard, String sinkGroup, Map<String, Object> client, String epoch, long floor) {
    Map<String, Object> config = new HashMap<>(client);
    config.put("transactional.id", sinkGroup + "-" + shard);
    config.put("enable.idempotence", true);
    config.put("acks", "all");
    Producer<String, String> producer = new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
    try {
      producer.initTransactions();
      long inGroup = committedNumber(topic, shard, sinkGroup, client, epoch);
      long committed = Math.max(inGroup, floor);
      if (floor > inGroup) {
        LOG.warn(
            "consumer group {} says {} records of {} shard {} are written, the job's state {}: going by the state"
                + " (the group's offsets may have expired)",
            sinkGroup, inGroup + 1, topic, shard, floor + 1);
      }
      LOG.info("{} shard {}: {} records written before, by group {}", topic, shard, committed + 1, sinkGroup);
      return new ShardWriter(topic, shard, sinkGroup, epoch, producer, committed);
    } catch (RuntimeException e) {
      producer.close(Duration.ZERO);
      throw e;
    }
  }

  /**
   * The highest number of {@code epoch} the group's committed offset for the shard records, -1
   * when none.
   */
  static long committedNumber(String topic, int shard, String sinkGroup, Map<String, Object> client, String epoch) {
    Map<String, Object> config = new HashMap<>(client);
    config.put("group.id", sinkGroup);
    config.put("isolation.level", "read_committed");
    config.put("enable.auto.commit", false);
    TopicPartition partition = new TopicPartition(topic, shard);
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      OffsetAndMetadata offset = consumer.committed(Set.of(partition), Duration.ofSeconds(60)).get(partition);
      if (offset == null) {
        return -1;
      }
      String metadata = offset.metadata();
      if (metadata == null || !metadata.startsWith(MARK)) {
        throw new IllegalStateException(
            "consumer group " + sinkGroup + " holds an offset for " + partition
                + " that this sink did not write (metadata '" + metadata
                + "'): another application uses the group; give the job a sink group of its own (--sinkGroupId)");
      }
      String written = metadata.substring(MARK.length());
      if (!written.equals(epoch)) {
        throw new IllegalStateException(
            "consumer group " + sinkGroup + " holds the progress of another job on " + topic + " (epoch " + written
                + ", this job's " + epoch + "): a job started afresh, not restored from that job's savepoint,"
                + " needs a sink group of its own (--sinkGroupId)");
      }
      return offset.offset() - 1;
    }
  }

  /** The number of the record to write next: one past the highest written. */
  long next() {
    return lastSent + 1;
  }

  /** Sends record {@link #next()} in the open transaction, beginning one if needed. */
  void write(long number, String key, String value) {
    if (number != lastSent + 1) {
      throw new IllegalArgumentException(topic + " shard " + shard + ": record " + number + " is not the next, " + (lastSent + 1));
    }
    if (!open) {
      producer.beginTransaction();
      open = true;
    }
    producer.send(new ProducerRecord<>(topic, key, value));
    lastSent = number;
  }

  /** Commits the open transaction with the progress it makes; answers whether there was one. */
  boolean commit() {
    if (!open) {
      return false;
    }
    producer.sendOffsetsToTransaction(
        Map.of(new TopicPartition(topic, shard), new OffsetAndMetadata(lastSent + 1, MARK + epoch)),
        new ConsumerGroupMetadata(sinkGroup));
    producer.commitTransaction();
    open = false;
    return true;
  }

  /**
   * Closes the producer without waiting; a transaction still open is left to the next writer of
   * the shard, whose start aborts it.
   */
  @Override
  public void close() {
    try {
      producer.close(Duration.ZERO);
    } catch (RuntimeException e) {
      LOG.warn("{} shard {}: closing the producer failed: {}", topic, shard, e.toString());
    }
  }
}
