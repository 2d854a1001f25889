package dev.stallwatch.classroom.transforms;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.stallwatch.classroom.domain.CourseDurationRow;
import dev.stallwatch.classroom.domain.Message;
import dev.stallwatch.classroom.domain.QualityConfig;
import dev.stallwatch.domain.BadRecord;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * C4 in streaming, scripted with {@link TestStream}: when a row leaves relative to the watermark,
 * that arrival order does not matter, that a (user, classroom) is forgotten after the idle time, and
 * that a message its source stamped late is a dead letter. Marker messages (origin {@code mark})
 * bypass the job and are logged as they pass; the direct runner finishes each TestStream step before
 * the next, so the log's order is the order of the steps.
 */
@ExtendWith(TestPipelineExtension.class)
class CourseDurationStreamingTest {
  private static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
  private static final ConcurrentLinkedQueue<String> LOG = new ConcurrentLinkedQueue<>();
  private static final Instant T0 = at("2024-03-20T10:00:00");

  @BeforeEach
  void clearLog() {
    LOG.clear();
  }

  private static Instant at(String local) {
    return new Instant(LocalDateTime.parse(local).atZone(ZONE).toInstant().toEpochMilli());
  }

  static Message qos(long user, String subEvent, Instant dataTime) {
    return new Message(
        null,
        "{\"classroom_id\":\"c1\",\"user_type\":\"student\",\"user_id\":" + user + ",\"event_time\":" + dataTime.getMillis()
            + ",\"sub_event\":\"" + subEvent + "\",\"extra\":{\"data_time\":" + dataTime.getMillis() + "}}",
        "qos_log-0@" + user + "-" + dataTime.getMillis());
  }

  private static TimestampedValue<Message> on(Message m, Instant stamp) {
    return TimestampedValue.of(m, stamp);
  }

  private static TimestampedValue<Message> event(long user, String subEvent, Instant t) {
    return on(qos(user, subEvent, t), t);
  }

  private static TimestampedValue<Message> marker(String name, Instant stamp) {
    return on(new Message(null, name, "mark"), stamp);
  }

  private static PCollectionTuple run(TestPipeline pipeline, TestStream<Message> stream, QualityConfig config) {
    PCollection<Message> messages = pipeline.apply(stream);
    messages
        .apply("Markers", Filter.by((Message m) -> m.origin().equals("mark")))
        .apply("LogMarkers", ParDo.of(new LogFn<>(m -> "marker " + m.value())));
    PCollectionTuple out =
        messages
            .apply("Messages", Filter.by((Message m) -> !m.origin().equals("mark")))
            .apply(CourseDuration.of(config));
    out.get(CourseDuration.rows())
        .apply("LogRows", ParDo.of(new LogFn<CourseDurationRow>(r -> "row " + r.userId() + " " + r.spendMillis() + " " + r.createTime())));
    out.get(CourseDuration.deadLetters()).apply("LogDead", ParDo.of(new LogFn<BadRecord>(b -> "dead " + b.reason())));
    return out;
  }

  @Test
  void aRowLeavesWhenTheWatermarkPassesTheSuccessTimeAndNotBefore(TestPipeline pipeline) {
    Instant success = T0.plus(Duration.standardMinutes(5));
    TestStream<Message> stream =
        TestStream.create(Message.MessageCoder.of())
            .addElements(event(1, "PPT_START", T0), event(1, "PPT_SUCCESS", success))
            .advanceWatermarkTo(success.minus(Duration.millis(1)))
            .addElements(marker("before", success.minus(Duration.millis(1))))
            .advanceWatermarkTo(success)
            .addElements(marker("at", success))
            .advanceWatermarkTo(success.plus(Duration.millis(1)))
            .addElements(marker("after", success.plus(Duration.millis(1))))
            .advanceWatermarkToInfinity();
    run(pipeline, stream, QualityConfig.defaults());
    pipeline.run().waitUntilFinish();
    assertEquals(List.of("marker before", "marker at", "row 1 300000 2024-03-20 10:05:00", "marker after"), List.copyOf(LOG));
  }

  @Test
  void theSuccessMayComeFirstAndDuplicatesGiveOneRow(TestPipeline pipeline) {
    Instant success = T0.plus(Duration.standardMinutes(5));
    TestStream<Message> stream =
        TestStream.create(Message.MessageCoder.of())
            .addElements(event(1, "PPT_SUCCESS", success), event(1, "PPT_SUCCESS", success))
            .addElements(event(1, "PPT_PLAY", T0.plus(Duration.standardMinutes(1))))
            .addElements(event(1, "PPT_START", T0), event(1, "PPT_SUCCESS", success))
            .advanceWatermarkToInfinity();
    run(pipeline, stream, QualityConfig.defaults());
    pipeline.run().waitUntilFinish();
    assertEquals(List.of("row 1 300000 2024-03-20 10:05:00"), List.copyOf(LOG));
  }

  @Test
  void aVisitIsForgottenAfterTheIdleTime(TestPipeline pipeline) {
    Duration day = Duration.standardDays(1);
    TestStream<Message> stream =
        TestStream.create(Message.MessageCoder.of())
            .addElements(event(2, "PPT_START", T0), event(3, "PPT_START", T0))
            // one millisecond within the idle time: still the same visit
            .addElements(event(3, "PPT_SUCCESS", T0.plus(day).minus(Duration.millis(1))))
            // the watermark passes T0 + 1 day: user 2's state expires
            .advanceWatermarkTo(T0.plus(day).plus(Duration.standardMinutes(1)))
            .addElements(marker("expired", T0.plus(day).plus(Duration.standardMinutes(1))))
            .addElements(event(2, "PPT_SUCCESS", T0.plus(day).plus(Duration.standardMinutes(2))))
            .advanceWatermarkToInfinity();
    run(pipeline, stream, QualityConfig.defaults());
    PipelineResult result = pipeline.run();
    result.waitUntilFinish();
    assertEquals(List.of("row 3 86399999 2024-03-21 09:59:59", "marker expired"), List.copyOf(LOG));
    assertEquals(1, counter(result, ClassroomMetrics.C4_UNMATCHED));
  }

  @Test
  void aSuccessExactlyOneIdleTimeAfterTheLastEventStartsAfresh(TestPipeline pipeline) {
    TestStream<Message> stream =
        TestStream.create(Message.MessageCoder.of())
            .addElements(event(4, "PPT_START", T0), event(4, "PPT_SUCCESS", T0.plus(Duration.standardMinutes(10))))
            .addElements(event(4, "PPT_SUCCESS", T0.plus(Duration.standardMinutes(20)).minus(Duration.millis(1))))
            .advanceWatermarkToInfinity();
    run(pipeline, stream, QualityConfig.defaults().withCourseIdle(Duration.standardMinutes(10)));
    PipelineResult result = pipeline.run();
    result.waitUntilFinish();
    // 10:00 -> 10:10 is one idle time: the success at 10:10 starts a new visit (no row);
    // 10:19:59.999 is within one idle time of it and measures from it
    assertEquals(List.of("row 4 599999 2024-03-20 10:19:59"), List.copyOf(LOG));
    assertEquals(1, counter(result, ClassroomMetrics.C4_UNMATCHED));
  }

  @Test
  void aMessageItsSourceStampedLateIsADeadLetterAndChangesNoRow(TestPipeline pipeline) {
    Instant success = T0.plus(Duration.standardMinutes(5));
    TestStream<Message> stream =
        TestStream.create(Message.MessageCoder.of())
            .addElements(event(5, "PPT_START", T0.plus(Duration.standardMinutes(1))), event(5, "PPT_SUCCESS", success))
            .advanceWatermarkTo(success.plus(Duration.standardMinutes(1)))
            // an earlier start, behind the watermark: the source stamps it with the watermark
            .addElements(on(qos(5, "PPT_START", T0), success.plus(Duration.standardMinutes(1))))
            .advanceWatermarkToInfinity();
    run(pipeline, stream, QualityConfig.defaults());
    PipelineResult result = pipeline.run();
    result.waitUntilFinish();
    List<String> log = new ArrayList<>(LOG);
    assertEquals(
        List.of(
            "row 5 240000 2024-03-20 10:05:00",
            "dead late: event time 2024-03-20 10:00:00.000 is before 2024-03-20 10:06:00.000, the time its source gave the message"),
        log);
    assertEquals(1, counter(result, ClassroomMetrics.C4_LATE));
    assertEquals(1, counter(result, ClassroomMetrics.C4_ROWS));
  }

  static long counter(PipelineResult result, String name) {
    long n = 0;
    for (MetricResult<Long> c :
        result
            .metrics()
            .queryMetrics(MetricsFilter.builder().addNameFilter(MetricNameFilter.named(ClassroomMetrics.NAMESPACE, name)).build())
            .getCounters()) {
      n += c.getAttempted();
    }
    return n;
  }

  interface Describe<T> extends java.io.Serializable {
    String of(T value);
  }

  static final class LogFn<T> extends DoFn<T, Void> {
    private final Describe<T> describe;

    LogFn(Describe<T> describe) {
      this.describe = describe;
    }

    @ProcessElement
    public void process(@Element T value) {
      LOG.add(describe.of(value));
    }
  }
}
