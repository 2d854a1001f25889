package dev.stallwatch.pipeline.kafka;

import dev.stallwatch.domain.BadRecord;
import dev.stallwatch.domain.RawRow;
import dev.stallwatch.parse.IdMasking;
import dev.stallwatch.parse.RowParser;
import dev.stallwatch.text.EventTimes;
import dev.stallwatch.text.Text;
import dev.stallwatch.transforms.StallMetrics;
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
 * Reads the application table's change stream from Kafka as raw JSON rows with their origin
 * ({@code topic/partition/offset}), stamped with event time by {@link EventTimePolicy}. Only
 * committed records are read.
 *
 * <p>These messages become dead letters here (raw text with {@code id_no} masked, origin,
 * reason): an empty message or tombstone, a blank one (white space only, {@link Text#isBlank}: a
 * message of NULs is a row, and a bad one), one longer than {@link RawRow#MAX_BYTES} (its start
 * and its length), one that is not UTF-8 text, a row that came
 * more than the allowed lateness behind its partition's watermark ({@code late: ...}, counted in
 * {@link StallMetrics#LATE_ROWS}) and a row dated further ahead of the job's clock than {@code
 * maxFutureSkew} ({@code future: ...}, {@link StallMetrics#FUTURE_ROWS}). The last two are found by
 * reading each row's time again as the policy did: the policy stamped such a row with its
 * partition's watermark, later (late) or earlier (future) than the row's time. A late or future
 * row is a dead letter as such whatever else is wrong with it; every other problem is found by
 * parsing.
 */
public final class KafkaRows extends PTransform<PBegin, PCollectionTuple> {
  public static final TupleTag<RawRow> ROWS = new TupleTag<RawRow>("rows") {};
  public static final TupleTag<BadRecord> UNREADABLE = new TupleTag<BadRecord>("unreadable") {};

  private final String bootstrapServers;
  private final String topic;
  private final String zoneId;
  private final EventTimePolicy.Bounds bounds;
  private final SimulatedClock clock;
  private final Map<String, Object> consumerConfig;

  public KafkaRows(
      String bootstrapServers,
      String topic,
      String zoneId,
      EventTimePolicy.Bounds bounds,
      SimulatedClock clock,
      Map<String, Object> consumerConfig) {
    this.bootstrapServers = bootstrapServers;
    this.topic = topic;
    this.zoneId = zoneId;
    this.bounds = bounds;
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
            .withTimestampPolicyFactory(EventTimePolicy.factory(zoneId, bounds, clock));
    PCollectionTuple out =
        begin
            .apply("Read", read)
            .apply(
                "Decode",
                ParDo.of(new DecodeFn(zoneId, bounds, clock))
                    .withOutputTags(ROWS, TupleTagList.of(UNREADABLE)));
    out.get(ROWS).setCoder(RawRow.RawRowCoder.of());
    out.get(UNREADABLE).setCoder(BadRecord.BadRecordCoder.of());
    return out;
  }

  /**
   * A job that starts without committed offsets or checkpoint reads the topic from its beginning:
   * nothing produced before the job came up is skipped. The operator's settings win.
   */
  static Map<String, Object> withDefaults(Map<String, Object> consumerConfig) {
    Map<String, Object> config = new java.util.HashMap<>();
    config.put("auto.offset.reset", "earliest");
    config.putAll(consumerConfig);
    return config;
  }

  /** Kafka records to raw rows; the messages that are no rows, or came late or early, to dead letters. */
  static final class DecodeFn extends DoFn<KafkaRecord<byte[], byte[]>, RawRow> {
    private final Counter unreadable = Metrics.counter(StallMetrics.NAMESPACE, StallMetrics.BAD_ROWS);
    private final Counter late = Metrics.counter(StallMetrics.NAMESPACE, StallMetrics.LATE_ROWS);
    private final Counter future = Metrics.counter(StallMetrics.NAMESPACE, StallMetrics.FUTURE_ROWS);
    private final String zoneId;
    private final EventTimePolicy.Bounds bounds;
    private final SimulatedClock clock;
    private final RowParser parser;

    DecodeFn(String zoneId, EventTimePolicy.Bounds bounds, SimulatedClock clock) {
      this.zoneId = zoneId;
      this.bounds = bounds;
      this.clock = clock;
      this.parser = new RowParser(ZoneId.of(zoneId));
    }

    @ProcessElement
    public void process(
        @Element KafkaRecord<byte[], byte[]> record, @Timestamp Instant stamped, MultiOutputReceiver out) {
      String origin = record.getTopic() + "/" + record.getPartition() + "/" + record.getOffset();
      KafkaValues.Decoded decoded = KafkaValues.decode(record.getKV().getValue());
      if (!decoded.ok()) {
        unreadable.inc();
        String raw = Text.isBlank(decoded.text()) ? decoded.text() : IdMasking.mask(RawRow.json(origin, decoded.text()));
        out.get(UNREADABLE).output(BadRecord.of(raw, origin, decoded.reason()));
        return;
      }
      String text = decoded.text();
      RawRow row = RawRow.json(origin, text);
      long millis = parser.jsonEventMillis(text);
      if (millis != RowParser.NO_TIME && millis != stamped.getMillis()) {
        ZoneId zone = ZoneId.of(zoneId);
        String reason;
        if (millis < stamped.getMillis()) {
          late.inc();
          reason =
              "late: event time "
                  + EventTimes.dateTime(millis, zone)
                  + " is more than the allowed lateness ("
                  + bounds.allowedLateness.getStandardSeconds()
                  + " s) behind its partition's watermark "
                  + EventTimes.dateTime(stamped.getMillis(), zone);
        } else {
          future.inc();
          reason =
              "future: event time "
                  + EventTimes.dateTime(millis, zone)
                  + " is more than "
                  + bounds.maxFutureSkew.getStandardSeconds()
                  + " s ahead of the job's clock ("
                  + EventTimes.dateTime(clock.now().getMillis(), zone)
                  + ")";
        }
        out.get(UNREADABLE).output(BadRecord.of(IdMasking.mask(row), origin, reason));
        return;
      }
      out.get(ROWS).output(row);
    }
  }
}
