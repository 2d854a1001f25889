package dev.stallwatch.pipeline.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stallwatch.embedded.EmbeddedKafka;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.KV;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The exactly-once topic writer on a real broker: what a replay after a failure brings again is not
 * written again, a transaction a dead attempt left open never reaches a read-committed reader and
 * cannot be committed late, and a group some other application uses is refused.
 */
class TransactionalTopicIT {
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
  void aNewWriterLearnsWhatIsCommittedFromTheGroup() throws Exception {
    kafka.createTopics(Map.of("tt_learn", 1));
    try (ShardWriter first = ShardWriter.open("tt_learn", 0, "g-learn", client(), "e1", -1)) {
      assertEquals(0, first.next());
      writeFrom(first, 5);
      assertTrue(first.commit());
      assertFalse(first.commit(), "nothing left to commit");
      writeFrom(first, 7); // never committed
    }
    try (ShardWriter second = ShardWriter.open("tt_learn", 0, "g-learn", client(), "e1", -1)) {
      assertEquals(5, second.next(), "records 0..4 are committed, 5 and 6 were not");
      assertThrows(IllegalArgumentException.class, () -> second.write(6, "k", "v6"));
      writeFrom(second, 7);
      second.commit();
    }
    assertEquals(values(7), readCommitted("tt_learn"));
    assertEquals(6, ShardWriter.committedNumber("tt_learn", 0, "g-learn", client(), "e1"));
  }

  @Test
  void aTransactionLeftOpenByADeadAttemptIsAbortedAndCannotCommitLate() throws Exception {
    kafka.createTopics(Map.of("tt_zombie", 1));
    ShardWriter zombie = ShardWriter.open("tt_zombie", 0, "g-zombie", client(), "e1", -1);
    try {
      writeFrom(zombie, 2);
      zombie.commit();
      writeFrom(zombie, 4); // the attempt dies here, its producer still alive
      try (ShardWriter next = ShardWriter.open("tt_zombie", 0, "g-zombie", client(), "e1", -1)) {
        assertEquals(2, next.next());
        writeFrom(next, 5);
        next.commit();
      }
      assertThrows(KafkaException.class, zombie::commit, "the old writer is fenced");
    } finally {
      zombie.close();
    }
    assertEquals(values(5), readCommitted("tt_zombie"));
  }

  @Test
  void theJobsStateIsAFloorWhenTheGroupHoldsNothing() throws Exception {
    kafka.createTopics(Map.of("tt_floor", 1));
    try (ShardWriter writer = ShardWriter.open("tt_floor", 0, "g-floor", client(), "e1", 3)) {
      assertEquals(4, writer.next());
      writeFrom(writer, 6);
      writer.commit();
    }
    assertEquals(List.of("v4", "v5"), readCommitted("tt_floor"));
  }

  @Test
  void aGroupAnotherApplicationCommitsToIsRefused() throws Exception {
    kafka.createTopics(Map.of("tt_foreign", 1));
    Map<String, Object> config = new HashMap<>(client());
    config.put("group.id", "g-foreign");
    try (KafkaConsumer<String, String> other =
        new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
      other.commitSync(Map.of(new TopicPartition("tt_foreign", 0), new OffsetAndMetadata(0)));
    }
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> ShardWriter.open("tt_foreign", 0, "g-foreign", client(), "e1", -1));
    assertTrue(e.getMessage().contains("--sinkGroupId"), e.getMessage());
  }

  @Test
  void aWriterOfAnotherEpochIsRefused() throws Exception {
    kafka.createTopics(Map.of("tt_epoch", 1));
    try (ShardWriter first = ShardWriter.open("tt_epoch", 0, "g-epoch", client(), "e1", -1)) {
      writeFrom(first, 3);
      first.commit();
    }
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> ShardWriter.open("tt_epoch", 0, "g-epoch", client(), "e2", -1));
    assertTrue(e.getMessage().contains("started afresh") && e.getMessage().contains("--sinkGroupId"), e.getMessage());
  }

  @Test
  void aPipelineWritesEachRecordOnceAndASecondJobOnItsGroupIsRefused() throws Exception {
    kafka.createTopics(Map.of("tt_pipeline", 1));
    // the direct runner hands the numbered records to the writer out of order: they must wait
    runPipeline(50);
    assertEquals(sorted(values(50)), sorted(readCommitted("tt_pipeline")));
    // a second job numbers its records afresh: taking them for the first job's would skip 50
    Exception e = assertThrows(Exception.class, () -> runPipeline(70));
    assertTrue(String.valueOf(e.getMessage()).contains("--sinkGroupId"), String.valueOf(e.getMessage()));
    assertEquals(sorted(values(50)), sorted(readCommitted("tt_pipeline")));
  }

  private static void runPipeline(int records) {
    List<KV<String, String>> input =
        IntStream.range(0, records).mapToObj(n -> KV.of("m" + (n % 7), "v" + n)).collect(Collectors.toList());
    Pipeline p = Pipeline.create(PipelineOptionsFactory.create());
    p.apply(Create.of(input).withCoder(KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of())))
        .apply(TransactionalTopic.to("tt_pipeline", "g-pipeline", client()));
    p.run().waitUntilFinish();
  }

  /** Writes records {@code writer.next()} up to {@code end} (excluded), valued "v" + number. */
  private static void writeFrom(ShardWriter writer, int end) {
    for (long n = writer.next(); n < end; n++) {
      writer.write(n, "k", "v" + n);
    }
  }

  private static List<String> sorted(List<String> values) {
    return values.stream().sorted().toList();
  }

  private static List<String> values(int n) {
    return IntStream.range(0, n).mapToObj(i -> "v" + i).toList();
  }

  private static Map<String, Object> client() {
    return Map.of("bootstrap.servers", kafka.bootstrapServers());
  }

  /**
   * The committed values of partition 0, read up to the log's end. The end is asked of a
   * read-uncommitted consumer: a committed transaction's markers are written after the commit
   * returns, and until then a read-committed consumer's end (the last stable offset) lags behind.
   */
  private static List<String> readCommitted(String topic) {
    Properties p = new Properties();
    p.put("bootstrap.servers", kafka.bootstrapServers());
    TopicPartition tp = new TopicPartition(topic, 0);
    long end;
    try (KafkaConsumer<String, String> c = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
      end = c.endOffsets(List.of(tp)).get(tp);
    }
    p.put("isolation.level", "read_committed");
    List<String> values = new ArrayList<>();
    try (KafkaConsumer<String, String> c = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
      c.assign(List.of(tp));
      c.seekToBeginning(List.of(tp));
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
