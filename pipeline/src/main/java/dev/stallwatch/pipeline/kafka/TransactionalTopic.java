package dev.stallwatch.pipeline.kafka;

import dev.stallwatch.transforms.StallMetrics;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.state.BagState;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Writes key/value records to one Kafka topic exactly once for {@code read_committed} readers, on a
 * runner that checkpoints (Flink) — StallWatch's own sink, in place of KafkaIO's exactly-once sink,
 * which fails on Flink in two ways the fault-injection test met (docs/OPERATIONS.md, "Why not
 * KafkaIO's exactly-once sink").
 *
 * <p>How it works:
 *
 * <ol>
 *   <li><b>Number</b>: every record gets the next number of its shard (one shard per topic), kept
 *       in keyed state, and the shard's epoch: an id drawn when the shard's numbering begins. The
 *       number is part of the job's checkpointed state before the record can reach Kafka, so a
 *       replay after a failure brings the same record with the same number and epoch.
 *   <li><b>Write</b>: the writer takes its input only once a checkpoint holding it has completed
 *       ({@code @RequiresStableInput}; Flink's runner buffers it until then). Per shard it writes a
 *       bundle's records in one Kafka transaction, which also commits the highest number written as
 *       the offset of the shard's partition in consumer group {@code sinkGroup}
 *       ({@link ShardWriter}). Records numbered at or below what that group holds are skipped:
 *       they are a replay of records already committed. Records are written in their numbers'
 *       order; one that comes early waits in state for those before it. The group also holds the
 *       epoch: a job started afresh (new epoch) on a group an earlier job wrote is refused, as its
 *       numbers would be taken for the earlier job's.
 * </ol>
 *
 * <p>Each bundle opens its own writer, which learns what is written from Kafka, never from a cache
 * that could outlive a failed attempt; its transactional id is fixed per sink
 * group and shard, so starting it fences any older writer of the shard and settles a transaction
 * that one left open. The writer also keeps the highest number it wrote in keyed state, a floor for
 * when the group's offsets are gone (Kafka deletes a group's offsets {@code
 * offsets.retention.minutes} after its last commit).
 */
public final class TransactionalTopic extends PTransform<PCollection<KV<String, String>>, PDone> {
  /** Records written, in namespace {@value StallMetrics#NAMESPACE}. */
  public static final String WRITTEN = "sink_records_written";
  /** Records not written again because the sink group says they are written (a replay). */
  public static final String SKIPPED = "sink_records_replayed_skipped";
  /** Records that reached the writer before a lower-numbered one and waited for it. */
  public static final String OUT_OF_ORDER = "sink_records_out_of_order";
  /** Kafka transactions committed. */
  public static final String TRANSACTIONS = "sink_transactions";

  private static final int SHARD = 0;

  private final String topic;
  private final String sinkGroup;
  private final HashMap<String, Object> client;

  private TransactionalTopic(String topic, String sinkGroup, Map<String, Object> client) {
    this.topic = topic;
    this.sinkGroup = sinkGroup;
    this.client = new HashMap<>(client);
  }

  /**
   * Writes to {@code topic}, keeping progress in consumer group {@code sinkGroup}, with the Kafka
   * client settings {@code client} (bootstrap servers, security; no serializers).
   */
  public static TransactionalTopic to(String topic, String sinkGroup, Map<String, Object> client) {
    if (sinkGroup == null || sinkGroup.isBlank()) {
      throw new IllegalArgumentException("an exactly-once topic needs a consumer group for its progress");
    }
    if (!client.containsKey("bootstrap.servers")) {
      throw new IllegalArgumentException("the Kafka client settings need bootstrap.servers");
    }
    return new TransactionalTopic(topic, sinkGroup, client);
  }

  @Override
  public PDone expand(PCollection<KV<String, String>> records) {
    records
        .apply("GlobalWindow", Window.into(new GlobalWindows()))
        .apply("ToShard", WithKeys.<Integer, KV<String, String>>of(SHARD).withKeyType(TypeDescriptors.integers()))
        .setCoder(KvCoder.of(VarIntCoder.of(), KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of())))
        .apply("Number", ParDo.of(new NumberFn()))
        .setCoder(KvCoder.of(VarIntCoder.of(), Numbered.CODER))
        .apply("Write", ParDo.of(new WriteFn(topic, sinkGroup, client)));
    return PDone.in(records.getPipeline());
  }

  /**
   * A record with its place in its shard's sequence: the numbering's {@code epoch} (fixed when the
   * shard's numbering starts, kept in state, so the same across restores of the job and different
   * for a job started afresh) and its {@code number} in it.
   */
  record Numbered(String epoch, long number, String key, String value) {
    static final Coder<Numbered> CODER =
        new AtomicCoder<>() {
          @Override
          public void encode(Numbered n, OutputStream out) throws IOException {
            StringUtf8Coder.of().encode(n.epoch, out);
            VarLongCoder.of().encode(n.number, out);
            StringUtf8Coder.of().encode(n.key, out);
            StringUtf8Coder.of().encode(n.value, out);
          }

          @Override
          public Numbered decode(InputStream in) throws IOException {
            return new Numbered(
                StringUtf8Coder.of().decode(in),
                VarLongCoder.of().decode(in),
                StringUtf8Coder.of().decode(in),
                StringUtf8Coder.of().decode(in));
          }
        };
  }

  /** Gives each record of a shard the next number, from 0, in the shard's epoch. */
  static final class NumberFn extends DoFn<KV<Integer, KV<String, String>>, KV<Integer, Numbered>> {
    @StateId("epoch")
    private final StateSpec<ValueState<String>> epochSpec = StateSpecs.value(StringUtf8Coder.of());

    @StateId("next")
    private final StateSpec<ValueState<Long>> nextSpec = StateSpecs.value(VarLongCoder.of());

    @ProcessElement
    public void process(
        @Element KV<Integer, KV<String, String>> record,
        @StateId("epoch") ValueState<String> epochState,
        @StateId("next") ValueState<Long> next,
        OutputReceiver<KV<Integer, Numbered>> out) {
      String epoch = epochState.read();
      if (epoch == null) {
        epoch = UUID.randomUUID().toString();
        epochState.write(epoch);
      }
      Long stored = next.read();
      long number = stored == null ? 0 : stored;
      next.write(number + 1);
      KV<String, String> kv = record.getValue();
      out.output(KV.of(record.getKey(), new Numbered(epoch, number, kv.getKey(), kv.getValue())));
    }
  }

  /**
   * Writes numbered records once their checkpoint has completed: per bundle and shard, it opens a
   * {@link ShardWriter} (which learns what is written), writes, commits and closes it. No producer
   * outlives a bundle, so nothing an attempt left behind (an open transaction, a stale idea of what
   * is committed) reaches the next one; on Flink a bundle is what one completed checkpoint released,
   * so that is a writer's start per topic and checkpoint.
   */
  static final class WriteFn extends DoFn<KV<Integer, Numbered>, Void> {
    private final String topic;
    private final String sinkGroup;
    private final HashMap<String, Object> client;

    @StateId("written")
    private final StateSpec<ValueState<Long>> writtenSpec = StateSpecs.value(VarLongCoder.of());

    @StateId("waiting")
    private final StateSpec<BagState<Numbered>> waitingSpec = StateSpecs.bag(Numbered.CODER);

    private final Counter written = Metrics.counter(StallMetrics.NAMESPACE, WRITTEN);
    private final Counter skipped = Metrics.counter(StallMetrics.NAMESPACE, SKIPPED);
    private final Counter transactions = Metrics.counter(StallMetrics.NAMESPACE, TRANSACTIONS);
    private final Counter outOfOrder = Metrics.counter(StallMetrics.NAMESPACE, OUT_OF_ORDER);

    private transient Map<Integer, ShardWriter> writers;

    WriteFn(String topic, String sinkGroup, HashMap<String, Object> client) {
      this.topic = topic;
      this.sinkGroup = sinkGroup;
      this.client = client;
    }

    @StartBundle
    public void startBundle() {
      writers = new HashMap<>();
    }

    @RequiresStableInput
    @ProcessElement
    public void process(
        @Element KV<Integer, Numbered> element,
        @StateId("written") ValueState<Long> writtenState,
        @StateId("waiting") BagState<Numbered> waiting) {
      int shard = element.getKey();
      Numbered record = element.getValue();
      try {
        ShardWriter writer = writers.get(shard);
        if (writer == null) {
          Long floor = writtenState.read();
          writer = ShardWriter.open(topic, shard, sinkGroup, client, record.epoch(), floor == null ? -1 : floor);
          writers.put(shard, writer);
        }
        if (record.number() < writer.next()) {
          skipped.inc();
          return;
        }
        if (record.number() > writer.next()) {
          // Came before a record numbered lower (a runner need not keep the order): it waits
          // in state for the gap to fill.
          waiting.add(record);
          outOfOrder.inc();
          return;
        }
        writer.write(record.number(), record.key(), record.value());
        written.inc();
        if (!waiting.isEmpty().read()) {
          writeWaiting(writer, waiting);
        }
        // Kept only if the bundle's commit succeeds: a checkpoint is taken after the bundle ends,
        // and a failed commit fails the attempt, whose state is then dropped.
        writtenState.write(writer.next() - 1);
      } catch (RuntimeException e) {
        closeAll();
        throw e;
      }
    }

    /** Writes the waiting records that now follow on, and keeps the rest waiting. */
    private void writeWaiting(ShardWriter writer, BagState<Numbered> waiting) {
      TreeMap<Long, Numbered> byNumber = new TreeMap<>();
      for (Numbered w : waiting.read()) {
        byNumber.put(w.number(), w);
      }
      waiting.clear();
      for (Numbered w : byNumber.values()) {
        if (w.number() < writer.next()) {
          skipped.inc();
        } else if (w.number() == writer.next()) {
          writer.write(w.number(), w.key(), w.value());
          written.inc();
        } else {
          waiting.add(w);
        }
      }
    }

    @FinishBundle
    public void finishBundle() {
      try {
        for (ShardWriter writer : writers.values()) {
          if (writer.commit()) {
            transactions.inc();
          }
        }
      } finally {
        closeAll();
      }
    }

    @Teardown
    public void teardown() {
      if (writers != null) {
        closeAll();
      }
    }

    private void closeAll() {
      for (ShardWriter writer : writers.values()) {
        writer.close();
      }
      writers.clear();
    }
  }
}
