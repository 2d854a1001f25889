package dev.stallwatch.pipeline.kafka;

import dev.stallwatch.classroom.domain.Message;
import dev.stallwatch.classroom.transforms.ClassroomMetrics;
import dev.stallwatch.domain.BadRecord;
import dev.stallwatch.domain.RawRow;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.Map;
import org.apache.beam.sdk.io.kafka.KafkaIO;
import org.apache.beam.sdk.io.kafka.KafkaRecord;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.joda.time.Instant;

/**
 * Reads one classroom input topic from Kafka as {@link Message}s (the record's key as text, the
 * value's text, origin {@code topic/partition/offset}), stamped with event time by an {@link
 * EventTimePolicy} with the topic's reader, too-late rule and watermark bound ({@link
 * ClassroomEventTime}). Only committed records are read; a job without committed offsets or
 * checkpoint reads the topic from its beginning. Steps {@code Read} and {@code Decode}, as {@link
 * KafkaRows}.
 *
 * <p>These messages become dead letters here ({@link #UNREADABLE}, counted in {@value
 * #UNREADABLE_COUNTER}), with the same reasons as the stall source's: an empty message or tombstone
 * ({@code empty message (a tombstone)}), a blank one ({@code blank message}), one longer than {@link
 * RawRow#MAX_BYTES} (its start and {@link RawRow#tooLong}), one that is not UTF-8 ({@code not UTF-8
 * text}); and a message dated further ahead of the job's clock than {@code maxFutureSkew} ({@code
 * future: ...}, {@value #FUTURE_COUNTER}), which the policy stamped with its watermark, earlier than
 * its time, without moving the watermark. A future message is a dead letter here whatever its job
 * would have made of it.
 *
 * <p>A too-late message leaves this source as a message, stamped with its partition's watermark,
 * later than its time: the composite that reads it (CleanSignals, CourseDuration, AvQuality) makes
 * it a dead letter {@code late: ...} (the classroom family's late convention), after its own checks,
 * so a message that is both bad and late is dead-lettered for its first problem, as in a backfill.
 */
public final class KafkaMessages extends PTransform<PBegin, PCollectionTuple> {
  public static final TupleTag<Message> MESSAGES = new TupleTag<Message>("messages") {};
  public static final TupleTag<BadRecord> UNREADABLE = new TupleTag<BadRecord>("unreadable") {};

  /** Counter (namespace {@value ClassroomMetrics#NAMESPACE}) of messages dead-lettered by the source but the future ones. */
  public static final String UNREADABLE_COUNTER = "kafka.unreadable";
  /** Counter of messages dated too far ahead of the clock. */
  public static final String FUTURE_COUNTER = "kafka.future";

  private final String bootstrapServers;
  private final String topic;
  private final String zoneId;
  private final ClassroomEventTime time;
  private final EventTimePolicy.Bounds bounds;
  private final SimulatedClock clock;
  private final Map<String, Object> consumerConfig;

  /**
   * Reads {@code topic} with {@code time}'s reader and rule; {@code bounds} give the idle time and
   * the future skew, {@code time} the topic's watermark bound. Reasons show times in {@code zoneId}.
   */
  public KafkaMessages(
      String bootstrapServers,
      String topic,
      String zoneId,
      ClassroomEventTime time,
      EventTimePolicy.Bounds bounds,
      SimulatedClock clock,
      Map<String, Object> consumerConfig) {
    this.bootstrapServers = bootstrapServers;
    this.topic = topic;
    this.zoneId = zoneId;
    this.time = time;
    this.bounds = bounds.withMaxOutOfOrderness(time.watermarkBound());
    this.clock = clock;
    this.consumerConfig = Map.copyOf(consumerConfig);
  }

  @Override
  public PCollectionTuple expand(PBegin begin) {
    KafkaIO.Read<byte[], byte[]> read =
        KafkaIO.<byte[], byte[]>read()
            .withBootstrapServers(bootstrapServers)
            .withTopic(topic)
            .withKeyDeserializer(ByteArrayDeserializer.class)
            .withValueDeserializer(ByteArrayDeserializer.class)
            .withReadCommitted()
            .withConsumerConfigUpdates(KafkaRows.withDefaults(consumerConfig))
            .withTimestampPolicyFactory(EventTimePolicy.factory(time.reader(), time.tooLate(), bounds, clock));
    PCollectionTuple out =
        begin
            .apply("Read", read)
            .apply(
                "Decode",
                ParDo.of(new DecodeFn(zoneId, time.reader(), bounds, clock))
                    .withOutputTags(MESSAGES, TupleTagList.of(UNREADABLE)));
    out.get(MESSAGES).setCoder(Message.MessageCoder.of());
    out.get(UNREADABLE).setCoder(BadRecord.BadRecordCoder.of());
    return out;
  }

  /** Kafka records to messages; those that are no text, or dated in the future, to dead letters. */
  static final class DecodeFn extends DoFn<KafkaRecord<byte[], byte[]>, Message> {
    private final Counter unreadable = Metrics.counter(ClassroomMetrics.NAMESPACE, UNREADABLE_COUNTER);
    private final Counter future = Metrics.counter(ClassroomMetrics.NAMESPACE, FUTURE_COUNTER);
    private final String zoneId;
    private final EventTimePolicy.Reader reader;
    private final EventTimePolicy.Bounds bounds;
    private final SimulatedClock clock;

    DecodeFn(String zoneId, EventTimePolicy.Reader reader, EventTimePolicy.Bounds bounds, SimulatedClock clock) {
      this.zoneId = zoneId;
      this.reader = reader;
      this.bounds = bounds;
      this.clock = clock;
    }

    @ProcessElement
    public void process(
        @Element KafkaRecord<byte[], byte[]> record, @Timestamp Instant stamped, MultiOutputReceiver out) {
      String origin = record.getTopic() + "/" + record.getPartition() + "/" + record.getOffset();
      byte[] value = record.getKV().getValue();
      KafkaValues.Decoded decoded = KafkaValues.decode(value);
      if (!decoded.ok()) {
        unreadable.inc();
        out.get(UNREADABLE).output(BadRecord.of(decoded.text(), origin, decoded.reason()));
        return;
      }
      String text = decoded.text();
      long millis = reader.eventMillis(value);
      if (millis != EventTimePolicy.NO_TIME && millis > stamped.getMillis()) {
        // only a future record is stamped earlier than its time (a late one later, left to the job)
        future.inc();
        ZoneId zone = ZoneId.of(zoneId);
        out.get(UNREADABLE)
            .output(
                BadRecord.of(
                    text,
                    origin,
                    "future: event time "
                        + dev.stallwatch.text.EventTimes.dateTime(millis, zone)
                        + " is more than "
                        + bounds.maxFutureSkew().getStandardSeconds()
                        + " s ahead of the job's clock ("
                        + dev.stallwatch.text.EventTimes.dateTime(clock.now().getMillis(), zone)
                        + ")"));
        return;
      }
      byte[] key = record.getKV().getKey();
      out.get(MESSAGES).output(new Message(key == null ? null : new String(key, StandardCharsets.UTF_8), text, origin));
    }
  }
}
