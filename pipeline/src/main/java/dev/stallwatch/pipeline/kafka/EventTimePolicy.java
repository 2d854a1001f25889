package dev.stallwatch.pipeline.kafka;

import dev.stallwatch.parse.RowParser;
import dev.stallwatch.pipeline.options.EventTimeOptions;
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
 * <p>The time is read with {@link RowParser#jsonEventMillis}, which passes over the fields before
 * {@code last_update_datetime} without building anything; {@link KafkaRows} reads it again the same
 * way. Three kinds of record are stamped with the partition's current watermark instead of their
 * time, so that none is late downstream (the source's watermark is the minimum of the partitions'
 * monotone watermarks, so no later grouping can have passed it):
 *
 * <ul>
 *   <li>a record whose time cannot be read: it will be a dead letter;
 *   <li>a late record, more than {@code allowedLateness} behind the watermark: {@link KafkaRows}
 *       sees its stamp is later than its time and makes it a dead letter {@code late};
 *   <li>a record further than {@code maxFutureSkew} ahead of the clock: it does not move the
 *       watermark (a 2090 row would otherwise fire every open session at once), and {@link
 *       KafkaRows} sees its stamp is earlier than its time and makes it a dead letter {@code
 *       future}.
 * </ul>
 */
public final class EventTimePolicy extends TimestampPolicy<byte[], byte[]> {
  private final RowParser parser;
  private final Duration maxOutOfOrderness;
  private final Duration idleAfter;
  private final Duration allowedLateness;
  private final Duration maxFutureSkew;
  private final SimulatedClock clock;
  private Instant maxEventTime = BoundedWindow.TIMESTAMP_MIN_VALUE;
  private Instant watermark = BoundedWindow.TIMESTAMP_MIN_VALUE;
  private Instant lastRecordAt;

  EventTimePolicy(
      ZoneId zone,
      Bounds bounds,
      SimulatedClock clock,
      Optional<Instant> previousWatermark) {
    this.parser = new RowParser(zone);
    this.maxOutOfOrderness = bounds.maxOutOfOrderness;
    this.idleAfter = bounds.idleAfter;
    this.allowedLateness = bounds.allowedLateness;
    this.maxFutureSkew = bounds.maxFutureSkew;
    this.clock = clock;
    this.lastRecordAt = clock.now();
    previousWatermark.ifPresent(w -> this.watermark = w);
  }

  /** The durations the policy works with, all of event time. */
  public static final class Bounds implements Serializable {
    private static final long serialVersionUID = 1L;
    final Duration maxOutOfOrderness;
    final Duration idleAfter;
    final Duration allowedLateness;
    final Duration maxFutureSkew;

    /** The bounds {@code options} give, with the config's {@code allowedLateness}; checks each. */
    public static Bounds from(EventTimeOptions options, Duration allowedLateness) {
      if (options.getMaxOutOfOrderness() < 0) {
        throw new IllegalArgumentException("--maxOutOfOrderness: must be at least 0, not " + options.getMaxOutOfOrderness());
      }
      if (options.getIdleAfter() < 1) {
        throw new IllegalArgumentException("--idleAfter: must be at least 1, not " + options.getIdleAfter());
      }
      if (options.getMaxFutureSkew() < 0) {
        throw new IllegalArgumentException("--maxFutureSkew: must be at least 0, not " + options.getMaxFutureSkew());
      }
      return new Bounds(
          Duration.standardSeconds(options.getMaxOutOfOrderness()),
          Duration.standardSeconds(options.getIdleAfter()),
          allowedLateness,
          Duration.standardSeconds(options.getMaxFutureSkew()));
    }

    public Bounds(Duration maxOutOfOrderness, Duration idleAfter, Duration allowedLateness, Duration maxFutureSkew) {
      this.maxOutOfOrderness = maxOutOfOrderness;
      this.idleAfter = idleAfter;
      this.allowedLateness = allowedLateness;
      this.maxFutureSkew = maxFutureSkew;
    }
  }

  /** A factory for KafkaIO: one policy per partition, all on {@code clock}. */
  static TimestampPolicyFactory<byte[], byte[]> factory(String zoneId, Bounds bounds, SimulatedClock clock) {
    return new Factory(zoneId, bounds, clock);
  }

  /** A message's event time as the policy reads it, or {@link RowParser#NO_TIME}. */
  static long eventMillis(RowParser parser, byte[] value) {
    return value == null ? RowParser.NO_TIME : parser.jsonEventMillis(new String(value, StandardCharsets.UTF_8));
  }

  @Override
  public Instant getTimestampForRecord(PartitionContext ctx, KafkaRecord<byte[], byte[]> record) {
    lastRecordAt = clock.now();
    long millis = eventMillis(parser, record.getKV().getValue());
    if (millis == RowParser.NO_TIME) {
      return watermark; // a bad row: dead-lettered downstream, never late
    }
    Instant time = new Instant(millis);
    if (time.isAfter(lastRecordAt.plus(maxFutureSkew))) {
      return watermark; // in the future: must not move the watermark; a dead letter downstream
    }
    if (time.isAfter(maxEventTime)) {
      maxEventTime = time;
      Instant candidate = maxEventTime.minus(maxOutOfOrderness);
      if (candidate.isAfter(watermark)) {
        watermark = candidate;
      }
    }
    if (time.plus(allowedLateness).isBefore(watermark)) {
      return watermark; // late: a dead letter downstream, never merged into a closed session
    }
    return time;
  }

  @Override
  public Instant getWatermark(PartitionContext ctx) {
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
    private final Bounds bounds;
    private final SimulatedClock clock;

    Factory(String zoneId, Bounds bounds, SimulatedClock clock) {
      this.zoneId = zoneId;
      this.bounds = bounds;
      this.clock = clock;
    }

    @Override
    public TimestampPolicy<byte[], byte[]> createTimestampPolicy(
        TopicPartition partition, Optional<Instant> previousWatermark) {
      return new EventTimePolicy(ZoneId.of(zoneId), bounds, clock, previousWatermark);
    }
  }
}
