package dev.stallwatch.pipeline;

import dev.stallwatch.domain.BadRecord;
import dev.stallwatch.domain.RawRow;
import dev.stallwatch.parse.IdMasking;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
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
import org.joda.time.Duration;

/**
 * Reads the application table's change stream from Kafka as raw JSON rows with their origin
 * ({@code topic/partition/offset}), stamped with event time by {@link EventTimePolicy}. Only
 * committed records are read. A message that is not UTF-8 text becomes a dead letter here; every
 * other problem is found by parsing.
 */
final class KafkaRows extends PTransform<PBegin, PCollectionTuple> {
  static final TupleTag<RawRow> ROWS = new TupleTag<RawRow>("rows") {};
  static final TupleTag<BadRecord> UNREADABLE = new TupleTag<BadRecord>("unreadable") {};

  private final String bootstrapServers;
  private final String topic;
  private final String zoneId;
  private final Duration maxOutOfOrderness;
  private final Duration idleAfter;
  private final SimulatedClock clock;
  private final Map<String, Object> consumerConfig;

  KafkaRows(
      String bootstrapServers,
      String topic,
      String zoneId,
      Duration maxOutOfOrderness,
      Duration idleAfter,
      SimulatedClock clock,
      Map<String, Object> consumerConfig) {
    this.bootstrapServers = bootstrapServers;
    this.topic = topic;
    this.zoneId = zoneId;
    this.maxOutOfOrderness = maxOutOfOrderness;
    this.idleAfter = idleAfter;
    this.clock = clock;
    this.consumerConfig = consumerConfig;
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
            .withConsumerConfigUpdates(withDefaults(consumerConfig))
            .withTimestampPolicyFactory(
                EventTimePolicy.factory(zoneId, maxOutOfOrderness, idleAfter, clock));
    PCollectionTuple out =
        begin
            .apply("Read", read)
            .apply("Decode", ParDo.of(new DecodeFn()).withOutputTags(ROWS, TupleTagList.of(UNREADABLE)));
    out.get(ROWS).setCoder(RawRow.RawRowCoder.of());
    out.get(UNREADABLE).setCoder(BadRecord.BadRecordCoder.of());
    return out;
  }

  /**
   * A job that starts without committed offsets or checkpoint reads the topic from its beginning:
   * nothing produced before the job came up is skipped. The operator's settings win.
   */
  private static Map<String, Object> withDefaults(Map<String, Object> consumerConfig) {
    Map<String, Object> config = new java.util.HashMap<>();
    config.put("auto.offset.reset", "earliest");
    config.putAll(consumerConfig);
    return config;
  }

  private static final class DecodeFn extends DoFn<KafkaRecord<byte[], byte[]>, RawRow> {
    private final Counter unreadable = Metrics.counter("stallwatch", "bad_rows");

    @ProcessElement
    public void process(@Element KafkaRecord<byte[], byte[]> record, MultiOutputReceiver out) {
      String origin = record.getTopic() + "/" + record.getPartition() + "/" + record.getOffset();
      byte[] value = record.getKV().getValue();
      if (value == null) {
        unreadable.inc();
        out.get(UNREADABLE).output(BadRecord.of("", origin, "empty message (a tombstone)"));
        return;
      }
      try {
        String text =
            StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(value))
                .toString();
        out.get(ROWS).output(RawRow.json(origin, text));
      } catch (CharacterCodingException e) {
        unreadable.inc();
        String shown = new String(value, StandardCharsets.UTF_8);
        out.get(UNREADABLE)
            .output(
                BadRecord.of(
                    IdMasking.mask(RawRow.json(origin, shown.length() > 2000 ? shown.substring(0, 2000) : shown)),
                    origin,
                    "not UTF-8 text"));
      }
    }
  }
}
