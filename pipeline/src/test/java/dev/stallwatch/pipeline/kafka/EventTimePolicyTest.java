package dev.stallwatch.pipeline.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stallwatch.domain.BadRecord;
import dev.stallwatch.domain.RawRow;
import dev.stallwatch.transforms.StallMetrics;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.io.kafka.KafkaRecord;
import org.apache.beam.sdk.io.kafka.KafkaRecordCoder;
import org.apache.beam.sdk.io.kafka.KafkaTimestampType;
import org.apache.beam.sdk.io.kafka.TimestampPolicy;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TimestampedValue;
import org.apache.beam.sdk.values.TupleTagList;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The timestamp policy and the decoding step together decide what is late or in the future: the
 * policy stamps such a row with its partition's watermark, the decoding step reads the row's time
 * again and makes it a dead letter.
 */
@ExtendWith(TestPipelineExtension.class)
class EventTimePolicyTest {
  private static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
  /** Watermark bound 30 s, idle after 10 s, allowed lateness 60 s, future skew 300 s. */
  private static final EventTimePolicy.Bounds BOUNDS =
      new EventTimePolicy.Bounds(
          Duration.standardSeconds(30), Duration.standardSeconds(10), Duration.standardSeconds(60), Duration.standardSeconds(300));
  /** The job's clock reads 12:00 now and runs at wall speed. */
  private static final SimulatedClock CLOCK =
      SimulatedClock.of(at("2024-03-20T12:00:00"), System.currentTimeMillis(), 1.0);

  private static Instant at(String local) {
    return new Instant(LocalDateTime.parse(local).atZone(ZONE).toInstant().toEpochMilli());
  }

  private static String row(String mobile, String time) {
    return "{\"mobile_tel\":\"" + mobile + "\",\"id_no\":\"440101199001010011\",\"request_status\":\"0\","
        + "\"business_flag_last\":\"22107\",\"last_update_datetime\":\"" + time + "\"}";
  }

  private static KafkaRecord<byte[], byte[]> record(long offset, byte[] value) {
    return new KafkaRecord<>("in", 0, offset, 0L, KafkaTimestampType.CREATE_TIME, null, KV.of(null, value));
  }

  private static KafkaRecord<byte[], byte[]> record(long offset, String value) {
    return record(offset, value.getBytes(StandardCharsets.UTF_8));
  }

  /** A partition context whose backlog KafkaIO cannot tell yet: the idle rule never applies. */
  private static final TimestampPolicy.PartitionContext UNKNOWN_BACKLOG =
      new TimestampPolicy.PartitionContext() {
        @Override
        public long getMessageBacklog() {
          return -1;
        }

        @Override
        public Instant getBacklogCheckTime() {
          return Instant.now();
        }
      };

  /** One partition's records, in offset order, with what the policy should stamp each with. */
  private static List<KafkaRecord<byte[], byte[]>> partition() {
    List<KafkaRecord<byte[], byte[]>> records = new ArrayList<>();
    records.add(record(0, row("13800000001", "2024-03-20 10:00:00")));
    records.add(record(1, row("13800000002", "2024-03-20 10:05:00"))); // watermark 10:04:30
    records.add(record(2, row("13800000003", "2024-03-20 10:03:40"))); // within the lateness
    records.add(record(3, row("13800000004", "2024-03-20 10:03:20"))); // late
    records.add(record(4, row("13800000005", "2030-01-01 00:00:00"))); // future
    records.add(record(5, "[1, 2]")); // no time
    records.add(record(6, row("13800000006", "9999-12-31 23:59:59"))); // implausible: no time
    records.add(record(7, row("13800000007", "2024-03-20 12:04:00"))); // ahead, within the skew
    records.add(record(8, (byte[]) null)); // a tombstone
    records.add(record(9, "  \n"));
    records.add(record(10, new byte[] {'{', (byte) 0xC3, 0x28, '"', '4', '4', '0', '1', '0', '1', '1', '9', '9', '0', '0', '1', '0', '1', '0', '0', '1', '1', '"'}));
    records.add(record(11, "\u0000 \u0000")); // not blank: a row, and a bad one
    byte[] huge = ("{\"id_no\":\"E12345678\",\"x\":\"" + "y".repeat(RawRow.MAX_BYTES) + "\"}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
    records.add(record(12, huge)); // over the limit
    records.add(record(13, "\u3000\u00a0")); // blank: Unicode white space only
    return records;
  }

  @Test
  void lateAndFutureRowsAndRowsWithoutATimeAreStampedWithTheWatermark() {
    EventTimePolicy policy = new EventTimePolicy(ZONE, BOUNDS, CLOCK, Optional.empty());
    List<Instant> stamps = new ArrayList<>();
    for (KafkaRecord<byte[], byte[]> r : partition()) {
      stamps.add(policy.getTimestampForRecord(UNKNOWN_BACKLOG, r));
    }
    Instant w1 = at("2024-03-20T10:04:30");
    assertEquals(
        List.of(at("2024-03-20T10:00:00"), at("2024-03-20T10:05:00"), at("2024-03-20T10:03:40"), w1, w1, w1, w1,
            at("2024-03-20T12:04:00")),
        stamps.subList(0, 8));
    assertEquals(at("2024-03-20T12:03:30"), policy.getWatermark(UNKNOWN_BACKLOG), "the future row did not move it");
  }

  @Test
  void theWatermarkOfAPolicyNeverMovesBackAndFollowsTheClockWhenIdle() {
    EventTimePolicy policy = new EventTimePolicy(ZONE, BOUNDS, CLOCK, Optional.of(at("2024-03-20T11:00:00")));
    Instant stamp = policy.getTimestampForRecord(UNKNOWN_BACKLOG, record(0, row("13800000001", "2024-03-20 10:00:00")));
    assertEquals(at("2024-03-20T11:00:00"), stamp, "older than a restored watermark: late");
    assertEquals(at("2024-03-20T11:00:00"), policy.getWatermark(UNKNOWN_BACKLOG));
    TimestampPolicy.PartitionContext caughtUp =
        new TimestampPolicy.PartitionContext() {
          @Override
          public long getMessageBacklog() {
            return 0;
          }

          @Override
          public Instant getBacklogCheckTime() {
            return Instant.now();
          }
        };
    SimulatedClock fast = SimulatedClock.of(at("2024-03-20T12:00:00"), System.currentTimeMillis(), 1000.0);
    EventTimePolicy idle = new EventTimePolicy(ZONE, BOUNDS, fast, Optional.empty());
    idle.getTimestampForRecord(caughtUp, record(0, row("13800000001", "2024-03-20 12:00:00")));
    // 60 wall milliseconds are 60 simulated seconds: more than idleAfter
    long until = System.currentTimeMillis() + 60;
    while (System.currentTimeMillis() < until) {
      Thread.onSpinWait();
    }
    assertTrue(idle.getWatermark(caughtUp).isAfter(at("2024-03-20T12:00:00")), "an idle partition follows the clock");
  }

  @Test
  void theDecodingStepDeadLettersWhatThePolicyStampedOffItsTime(TestPipeline pipeline) {
    EventTimePolicy policy = new EventTimePolicy(ZONE, BOUNDS, CLOCK, Optional.empty());
    List<TimestampedValue<KafkaRecord<byte[], byte[]>>> stamped = new ArrayList<>();
    for (KafkaRecord<byte[], byte[]> r : partition()) {
      stamped.add(TimestampedValue.of(r, policy.getTimestampForRecord(UNKNOWN_BACKLOG, r)));
    }
    PCollectionTuple out =
        pipeline
            .apply(Create.timestamped(stamped).withCoder(KafkaRecordCoder.of(NullableCoder.of(ByteArrayCoder.of()), NullableCoder.of(ByteArrayCoder.of()))))
            .apply(
                ParDo.of(new KafkaRows.DecodeFn(ZONE.getId(), BOUNDS, CLOCK))
                    .withOutputTags(KafkaRows.ROWS, TupleTagList.of(KafkaRows.UNREADABLE)));
    out.get(KafkaRows.ROWS).setCoder(RawRow.RawRowCoder.of());
    out.get(KafkaRows.UNREADABLE).setCoder(BadRecord.BadRecordCoder.of());
    PAssert.that(out.get(KafkaRows.ROWS))
        .satisfies(
            rows -> {
              List<String> origins = new ArrayList<>();
              rows.forEach(r -> origins.add(r.origin()));
              origins.sort(null);
              // rows without a time go on to the parser, which says what is wrong with them
              assertEquals(List.of("in/0/0", "in/0/1", "in/0/11", "in/0/2", "in/0/5", "in/0/6", "in/0/7"), origins);
              return null;
            });
    PAssert.that(out.get(KafkaRows.UNREADABLE))
        .satisfies(
            dead -> {
              List<String> seen = new ArrayList<>();
              for (BadRecord b : dead) {
                assertFalse(b.raw().contains("440101199001010011"), b.raw());
                assertFalse(b.raw().contains("E12345678"), b.raw());
                assertTrue(b.raw().length() < 20_000, "cut");
                seen.add(b.origin() + " " + b.reason());
              }
              seen.sort(null);
              assertEquals(
                  List.of(
                      "in/0/10 not UTF-8 text",
                      "in/0/12 " + RawRow.tooLong(RawRow.MAX_BYTES + 28),
                      "in/0/13 blank message",
                      "in/0/3 late: event time 2024-03-20 10:03:20 is more than the allowed lateness (60 s)"
                          + " behind its partition's watermark 2024-03-20 10:04:30",
                      "in/0/8 empty message (a tombstone)",
                      "in/0/9 blank message"),
                  seen.stream().filter(s -> !s.startsWith("in/0/4 ")).toList());
              String future = seen.stream().filter(s -> s.startsWith("in/0/4 ")).findFirst().orElseThrow();
              assertTrue(
                  future.startsWith("in/0/4 future: event time 2030-01-01 00:00:00 is more than 300 s ahead of the job's clock (2024-03-20 12:0"),
                  future);
              return null;
            });
    PipelineResult result = pipeline.run();
    result.waitUntilFinish();
    assertEquals(1, counter(result, StallMetrics.LATE_ROWS));
    assertEquals(1, counter(result, StallMetrics.FUTURE_ROWS));
    assertEquals(5, counter(result, StallMetrics.BAD_ROWS));
  }

  private static long counter(PipelineResult result, String name) {
    long sum = 0;
    for (MetricResult<Long> c :
        result
            .metrics()
            .queryMetrics(MetricsFilter.builder().addNameFilter(MetricNameFilter.named(StallMetrics.NAMESPACE, name)).build())
            .getCounters()) {
      sum += c.getAttempted();
    }
    return sum;
  }
}
