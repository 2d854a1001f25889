package dev.stallwatch.classroom.transforms;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.stallwatch.classroom.domain.Message;
import dev.stallwatch.classroom.domain.Signal;
import dev.stallwatch.classroom.domain.SignalsConfig;
import dev.stallwatch.domain.BadRecord;
import java.util.List;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** C1 as a composite: event-time stamps, keys kept for Kafka, the late rule, the counters. */
@ExtendWith(TestPipelineExtension.class)
class CleanSignalsTest {
  private static final long T = 1710900000123L; // 2024-03-20 10:00:00.123 in Shanghai

  private static String hover(String user) {
    return "{\"createTime\":\"c\",\"data\":\"{\\\"userid\\\":\\\"" + user + "\\\",\\\"roomId\\\":88,\\\"timestamp\\\":" + T
        + ",\\\"role\\\":2,\\\"msgid\\\":305,\\\"msg\\\":{\\\"msgtype\\\":116,\\\"msg_data\\\":{\\\"target_type\\\":\\\"shape\\\","
        + "\\\"action\\\":\\\"mouse\\\",\\\"sub_action\\\":\\\"over\\\"}}}\"}";
  }

  @Test
  void signalsCarryTheirEventTimeAndKeyAndLateOnesAreDeadLetters(TestPipeline pipeline) {
    PCollectionTuple cleaned =
        pipeline
            .apply(
                Create.timestamped(
                        List.of(
                            TimestampedValue.of(new Message("k1", hover("u1"), "t-0@1"), new Instant(T)),
                            TimestampedValue.of(new Message(null, hover("u2"), "t-0@2"), new Instant(T - 60_000)),
                            TimestampedValue.of(new Message("k3", hover("u3"), "t-0@3"), new Instant(T + 1)),
                            TimestampedValue.of(new Message("k4", "{\"data\":{\"msgid\":1}}", "t-0@4"), new Instant(T + 1)),
                            TimestampedValue.of(new Message("k5", "  ", "t-0@5"), new Instant(T)),
                            TimestampedValue.of(new Message("k6", "{}", "t-0@6"), new Instant(T))))
                    .withCoder(Message.MessageCoder.of()))
            .apply(CleanSignals.of(SignalsConfig.defaults()));
    PAssert.that(cleaned.get(CleanSignals.signals()).apply("Stamps", ParDo.of(new StampFn())))
        .containsInAnyOrder("u1@" + T, "u2@" + T);
    String value = "{\"messageCreateTime\":\"c\",\"timeStamp\":" + T + ",\"userId\":\"u1\",\"roomId\":\"88\",\"role\":\"2\","
        + "\"msgId\":\"305\",\"msgType\":\"116\",\"targetId\":\"\",\"targetType\":\"shape\",\"action\":\"mouse\","
        + "\"subAction\":\"over\",\"pageIndex\":\"\",\"event\":\"SHAPE_HOVER\"}";
    PAssert.that(cleaned.get(CleanSignals.signals()).apply(SignalRecords.create()))
        .containsInAnyOrder(KV.of("k1", value), KV.of(null, value.replace("u1", "u2")));
    PAssert.that(cleaned.get(CleanSignals.deadLetters()))
        .containsInAnyOrder(
            BadRecord.of(
                hover("u3"),
                "t-0@3",
                "late: event time 2024-03-20 10:00:00.123 is before 2024-03-20 10:00:00.124, the time its source gave the message"),
            BadRecord.of("{}", "t-0@6", "data: missing"));
    PipelineResult result = pipeline.run();
    result.waitUntilFinish();
    assertEquals(5, counter(result, ClassroomMetrics.C1_READ), "a blank message is no message: counted nowhere");
    assertEquals(2, counter(result, ClassroomMetrics.C1_SIGNALS));
    assertEquals(1, counter(result, ClassroomMetrics.C1_IGNORED));
    assertEquals(1, counter(result, ClassroomMetrics.C1_BAD));
    assertEquals(1, counter(result, ClassroomMetrics.C1_LATE));
  }

  private static long counter(PipelineResult result, String name) {
    long sum = 0;
    for (MetricResult<Long> c :
        result
            .metrics()
            .queryMetrics(MetricsFilter.builder().addNameFilter(MetricNameFilter.named(ClassroomMetrics.NAMESPACE, name)).build())
            .getCounters()) {
      sum += c.getAttempted();
    }
    return sum;
  }

  private static final class StampFn extends DoFn<Signal, String> {
    @ProcessElement
    public void process(@Element Signal s, @Timestamp Instant stamp, OutputReceiver<String> out) {
      out.output(s.userId() + "@" + stamp.getMillis());
    }
  }
}
