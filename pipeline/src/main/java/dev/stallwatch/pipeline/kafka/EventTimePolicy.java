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
 * Event time for a Kafka topic of JSON messages: a record's time is what the topic's {@link Reader}
 * reads from its value; a partition's watermark trails the latest event time it has seen by {@code
 * maxOutOfOrderness}. When the partition has been silent for {@code idleAfter} and KafkaIO reports
 * no backlog, the watermark moves on to now minus {@code maxOutOfOrderness}, so a quiet night or an
 * empty partition still lets every pending deadline fire. It never moves back. "Now" is the
 * {@link SimulatedClock} the job runs on: the wall clock in production.
 *
 * <p>Two things are the topic's own and given as parameters: the {@link Reader} of a message's
 * event time, and the {@link TooLate} rule that says which records are too late for the job that
 * reads them. The stall job's source ({@link #factory(String, Bounds, SimulatedClock)}) reads the
 * row's {@code last_update_datetime} with {@link RowParser#jsonEventMillis}, which passes over the
 * fields before it without building anything, and calls a row too late when it is more than {@code
 * allowedLateness} behind the watermark; {@link KafkaRows} reads the time again the same way. The
 * classroom sources ({@link KafkaMessages}) read their topic's time field and apply the rule of the
 * composite that consumes the topic ({@link ClassroomEventTime}).
 *
 * <p>Three kinds of record are stamped with the partition's current watermark instead of their
 * time, so that none is late downstream (the source's watermark is the minimum of the partitions'
 * monotone watermarks, so no later grouping can have passed it):
 *
 * <ul>
 *   <li>a record whose time cannot be read: it will be a dead letter (or, for a topic whose job
 *       ignores some messages, ignored);
 *   <li>a too-late record ({@link TooLate}): the reader downstream sees its stamp is later than its
 *       time and makes it a dead letter {@code late};
 *   <li>a record further than {@code maxFutureSkew} ahead of the clock: it does not move the
 *       watermark (a 2090 row would otherwise fire every open session at once), and the source's
 *       decoding step sees its stamp is earlier than its time and makes it a dead letter {@code
 *       future}.
 * </ul>
 */
public final class EventTimePolicy extends TimestampPolicy<byte[], byte[]> {
  /** What a {@link Reader} answers for a message whose time it cannot read. */
  public static final long NO_TIME = RowParser.NO_TIME;

  /** Reads a message's event time (epoch ms) from its value, or answers {@link #NO_TIME}. */
  @FunctionalInterface
  public interface Reader extends Serializable {
    long eventMillis(byte[] value);
  }

  /**
   * Whether a record of {@code eventMillis}, read when its partition's watermark is {@code
   * watermarkMillis}, is too late for the job: then it is stamped with the watermark.
   */
  @FunctionalInterface
  public interface TooLate extends Serializable {
    boolean test(long eventMillis, long watermarkMillis);
  }

  private final Reader reader;
  private final TooLate tooLate;
  private final Duration maxOutOfOrderness;
  private final Duration idleAfter;
  private final Duration maxFutureSkew;
  private final SimulatedClock clock;
  private Instant maxEventTime = BoundedWindow.TIMESTAMP_MIN_VALUE;
  private Instant watermark = BoundedWindow.TIMESTAMP_MIN_VALUE;
  private Instant lastRecordAt;

  /** The stall job's policy: {@code last_update_datetime} in {@code zone}, late beyond the allowed lateness. */
  EventTimePolicy(
      ZoneId zone,
      Bounds bounds,
      SimulatedClock clock,
      Optional<Instant> previousWatermark) {
    this(new RowTimes(zone.getId()), behindBy(bounds.allowedLateness), bounds, clock, previousWatermark);
  }

  /** A policy reading times with {@code reader}, stamping what {@code tooLate} says with the watermark. */
  EventTimePolicy(
      Reader reader,
      TooLate tooLate,
      Bounds bounds,
      SimulatedClock clock,
      Optional<Instant> previousWatermark) {
    this.reader = reader;
    this.tooLate = tooLate;
    this.maxOutOfOrderness = bounds.maxOutOfOrderness;
    this.idleAfter = bounds.idleAfter;
    this.maxFutureSkew = bounds.maxFutureSkew;
    this.clock = clock;
    this.lastRecordAt = clock.now();
    previousWatermark.ifPresent(w -> this.watermark = w);
  }

  /** The stall rule: too late when more than {@code allowedLateness} behind the watermark. */
  public static TooLate behindBy(Duration allowedLateness) {
    long lateness = allowedLateness.getMillis();
    return (event, watermark) -> event + lateness < watermark;
  }

  /** The stall job's reader: {@link RowParser#jsonEventMillis} in a zone, its parser made once per JVM copy. */
  private static final class RowTimes implements Reader {
    private static final long serialVersionUID = 1L;
    private final String zoneId;
    private transient RowParser parser;

    RowTimes(String zoneId) {
      this.zoneId = zoneId;
    }

    @Override
    public long eventMillis(byte[] value) {
      if (parser == null) {
        parser = new RowParser(ZoneId.of(zoneId));
      }
      return EventTimePolicy.eventMillis(parser, value);
    }
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

    /** These bounds with another out-of-orderness: a topic's own watermark bound. */
    public Bounds withMaxOutOfOrderness(Duration bound) {
      return new Bounds(bound, idleAfter, allowedLateness, maxFutureSkew);
    }

    public Duration maxOutOfOrderness() {
      return maxOutOfOrderness;
    }

    public Duration idleAfter() {
      return idleAfter;
    }

    public Duration maxFutureSkew() {
      return maxFutureSkew;
    }
  }

  /** The stall job's factory for KafkaIO: one policy per partition, all on {@code clock}. */
  static TimestampPolicyFactory<byte[], byte[]> factory(String zoneId, Bounds bounds, SimulatedClock clock) {
    return new Factory(new RowTimes(zoneId), behindBy(bounds.allowedLateness), bounds, clock);
  }

  /**
   * A factory for KafkaIO whose policies read times with {@code reader} and stamp what {@code
   * tooLate} says with the watermark; one policy per partition, all on {@code clock}.
   */
  public static TimestampPolicyFactory<byte[], byte[]> factory(
      Reader reader, TooLate tooLate, Bounds bounds, SimulatedClock clock) {
    return new Factory(reader, tooLate, bounds, clock);
  }

  /** A message's event time as the policy reads it, or {@link RowParser#NO_TIME}. */
  static long eventMillis(RowParser parser, byte[] value) {
    return value == null ? RowParser.NO_TIME : parser.jsonEventMillis(new String(value, StandardCharsets.UTF_8));
  }

  @Override
  public Instant getTimestampForRecord(PartitionContext ctx, KafkaRecord<byte[], byte[]> record) {
    lastRecordAt = clock.now();
    byte[] value = record.getKV().getValue();
    long millis = value == null ? NO_TIME : reader.eventMillis(value);
    if (millis == NO_TIME) {
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
    if (tooLate.test(millis, watermark.getMillis())) {
      return watermark; // late: a dead letter downstream, never merged into a closed window
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
    private final Reader reader;
    private final TooLate tooLate;
    private final Bounds bounds;
    private final SimulatedClock clock;

    Factory(Reader reader, TooLate tooLate, Bounds bounds, SimulatedClock clock) {
      this.reader = reader;
      this.tooLate = tooLate;
      this.bounds = bounds;
      this.clock = clock;
    }

    @Override
    public TimestampPolicy<byte[], byte[]> createTimestampPolicy(
        TopicPartition partition, Optional<Instant> previousWatermark) {
      return new EventTimePolicy(reader, tooLate, bounds, clock, previousWatermark);
    }
  }
}
