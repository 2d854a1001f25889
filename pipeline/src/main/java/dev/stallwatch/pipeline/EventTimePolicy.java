package dev.stallwatch.pipeline;

import dev.stallwatch.parse.RowParser;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.Optional;
import org.apache.beam.sdk.io.kafka.KafkaRecord;
import org.apache.beam.sdk.io.kafka.TimestampPolicy;
import org.apache.beam.sdk.io.kafka.TimestampPolicyFactory;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.kafka.common.TopicPartition;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Event time for the application table's change stream: a record's time is its row's {@code
 * last_update_datetime}; a partition's watermark trails the latest event time it has seen by {@code
 * maxOutOfOrderness}. When the partition has been silent for {@code idleAfter} and KafkaIO reports
 * no backlog, the watermark moves on to now minus {@code maxOutOfOrderness}, so a quiet night or an
 * empty partition still lets every pending deadline fire. It never moves back. "Now" is the
 * {@link SimulatedClock} the job runs on: the wall clock in production.
 *
 * <p>A record whose time cannot be read (it will be a dead letter) takes the current watermark, so
 * it is never late.
 */
final class EventTimePolicy extends TimestampPolicy<byte[], byte[]> {
  private final RowParser parser;
  private final Duration maxOutOfOrderness;
  private final Duration idleAfter;
  private final SimulatedClock clock;
  private Instant maxEventTime = BoundedWindow.TIMESTAMP_MIN_VALUE;
  private Instant watermark = BoundedWindow.TIMESTAMP_MIN_VALUE;
  private Instant lastRecordAt;

  EventTimePolicy(
      ZoneId zone,
      Duration maxOutOfOrderness,
      Duration idleAfter,
      SimulatedClock clock,
      Optional<Instant> previousWatermark) {
    this.parser = new RowParser(zone);
    this.maxOutOfOrderness = maxOutOfOrderness;
    this.idleAfter = idleAfter;
    this.clock = clock;
    this.lastRecordAt = clock.now();
    previousWatermark.ifPresent(w -> this.watermark = w);
  }

  /** A factory for KafkaIO: one policy per partition, all on {@code clock}. */
  static TimestampPolicyFactory<byte[], byte[]> factory(
      String zoneId, Duration maxOutOfOrderness, Duration idleAfter, SimulatedClock clock) {
    return new Factory(zoneId, maxOutOfOrderness, idleAfter, clock);
  }

  @Override
  public Instant getTimestampForRecord(PartitionContext ctx, KafkaRecord<byte[], byte[]> record) {
    lastRecordAt = clock.now();
    byte[] value = record.getKV().getValue();
    Instant time;
    try {
      String text = value == null ? "" : new String(value, StandardCharsets.UTF_8);
      time = new Instant(parser.parseJson(text).eventMillis());
    } catch (RuntimeException e) {
      return watermark; // a bad row: dead-lettered downstream, never late
    }
    if (time.isAfter(maxEventTime)) {
      maxEventTime = time;
    }
    return time;
  }

  @Override
  public Instant getWatermark(PartitionContext ctx) {
    return currentWatermark(ctx);
  }

  private Instant currentWatermark(PartitionContext ctx) {
    Instant candidate =
        maxEventTime.equals(BoundedWindow.TIMESTAMP_MIN_VALUE)
            ? BoundedWindow.TIMESTAMP_MIN_VALUE
            : maxEventTime.minus(maxOutOfOrderness);
    Instant now = clock.now();
    long backlog = ctx == null ? -1 : ctx.getMessageBacklog(); // -1: KafkaIO cannot tell yet
    boolean silent = !lastRecordAt.plus(idleAfter).isAfter(now);
    if (silent && backlog == 0) {
      Instant idle = now.minus(maxOutOfOrderness);
      if (idle.isAfter(candidate)) {
        candidate = idle;
      }
    }
    if (candidate.isAfter(watermark)) {
      watermark = candidate;
    }
    return watermark;
  }

  private static final class Factory implements TimestampPolicyFactory<byte[], byte[]>, Serializable {
    private static final long serialVersionUID = 1L;
    private final String zoneId;
    private final Duration maxOutOfOrderness;
    private final Duration idleAfter;
    private final SimulatedClock clock;

    Factory(String zoneId, Duration maxOutOfOrderness, Duration idleAfter, SimulatedClock clock) {
      this.zoneId = zoneId;
      this.maxOutOfOrderness = maxOutOfOrderness;
      this.idleAfter = idleAfter;
      this.clock = clock;
    }

    @Override
    public TimestampPolicy<byte[], byte[]> createTimestampPolicy(
        TopicPartition partition, Optional<Instant> previousWatermark) {
      return new EventTimePolicy(
          ZoneId.of(zoneId), maxOutOfOrderness, idleAfter, clock, previousWatermark);
    }
  }
}
