package dev.stallwatch.classroom.transforms;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.stallwatch.classroom.domain.AvQualityRow;
import dev.stallwatch.classroom.domain.Message;
import dev.stallwatch.classroom.domain.QualityConfig;
import dev.stallwatch.domain.BadRecord;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TimestampedValue;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * C5 in streaming, scripted with {@link TestStream}: a window's row leaves when the watermark
 * reaches the window's end, a record within the allowed lateness rewrites it, and one beyond it
 * (which the source stamps with its watermark) is a dead letter. Markers as in {@link
 * CourseDurationStreamingTest}.
 */
@ExtendWith(TestPipelineExtension.class)
class AvQualityStreamingTest {
  private static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
  private static final ConcurrentLinkedQueue<String> LOG = new ConcurrentLinkedQueue<>();
  private static final Instant W0 = at("2024-03-20T10:00:00");
  private static final Instant END = W0.plus(Duration.standardSeconds(30));

  @BeforeEach
  void clearLog() {
    LOG.clear();
  }

  private static Instant at(String local) {
    return new Instant(LocalDateTime.parse(local).atZone(ZONE).toInstant().toEpochMilli());
  }

  private static Message agora(long lost, Instant t) {
    return new Message(
        null,
        "{\"classroom_id\":\"c1\",\"user_type\":\"student\",\"user_id\":7,\"agora_channel_id\":9,\"event\":\"E\","
            + "\"agora_audioState\":{\"lost\":" + lost + ",\"uid\":3},\"messageCreateTime\":" + t.getMillis() + "}",
        "agora_record-0@" + t.getMillis());
  }

  private static TimestampedValue<Message> sample(long lost, Instant t) {
    return TimestampedValue.of(agora(lost, t), t);
  }

  private static TimestampedValue<Message> marker(String name, Instant stamp) {
    return TimestampedValue.of(new Message(null, name, "mark"), stamp);
  }

  private static void run(TestPipeline pipeline, TestStream<Message> stream, QualityConfig config) {
    PCollection<Message> messages = pipeline.apply(stream);
    messages
        .apply("Markers", Filter.by((Message m) -> m.origin().equals("mark")))
        .apply("LogMarkers", ParDo.of(new LogFn<>(m -> "marker " + m.value())));
    PCollectionTuple out =
        messages.apply("Messages", Filter.by((Message m) -> !m.origin().equals("mark"))).apply(AvQuality.of(config));
    out.get(AvQuality.rows())
        .apply(
            "LogRows",
            ParDo.of(
                new LogFn<AvQualityRow>(
                    r -> "row " + r.startTime() + " " + r.key().event() + " sum " + r.sum() + " count " + r.count() + " avg " + r.avg()
                        + " created " + r.createTime())));
    out.get(AvQuality.deadLetters()).apply("LogDead", ParDo.of(new LogFn<BadRecord>(b -> "dead " + b.reason())));
  }

  @Test
  void aRowLeavesWhenTheWatermarkReachesTheWindowsEnd(TestPipeline pipeline) {
    TestStream<Message> stream =
        TestStream.create(Message.MessageCoder.of())
            .addElements(sample(2, W0), sample(5, END.minus(Duration.millis(1))), sample(100, END))
            .advanceWatermarkTo(END.minus(Duration.millis(1)))
            .addElements(marker("before", END.minus(Duration.millis(1))))
            .advanceWatermarkTo(END)
            .addElements(marker("at end", END))
            .advanceWatermarkToInfinity();
    run(pipeline, stream, QualityConfig.defaults());
    pipeline.run().waitUntilFinish();
    assertEquals(
        List.of(
            "marker before",
            "row 2024-03-20 10:00:00 E_AUDIO_STATE sum 7 count 2 avg 3.5 created 2024-03-20 10:00:30",
            "marker at end",
            "row 2024-03-20 10:00:30 E_AUDIO_STATE sum 100 count 1 avg 100.0 created 2024-03-20 10:01:00"),
        List.copyOf(LOG));
  }

  @Test
  void aRecordWithinTheLatenessRewritesTheRowAndOneBeyondIsADeadLetter(TestPipeline pipeline) {
    Instant last = END.minus(Duration.millis(1));
    TestStream<Message> stream =
        TestStream.create(Message.MessageCoder.of())
            .addElements(sample(2, W0), sample(4, W0.plus(Duration.standardSeconds(10))))
            .advanceWatermarkTo(END.plus(Duration.standardSeconds(5)))
            .addElements(marker("on time", END.plus(Duration.standardSeconds(5))))
            // 5 s after the end, within 10 s of lateness: the source keeps its time
            .addElements(sample(6, last))
            .advanceWatermarkTo(END.plus(Duration.standardSeconds(11)))
            .addElements(marker("lateness over", END.plus(Duration.standardSeconds(11))))
            // beyond the lateness: the source stamps it with its watermark
            .addElements(TimestampedValue.of(agora(8, last), END.plus(Duration.standardSeconds(11))))
            .advanceWatermarkToInfinity();
    run(pipeline, stream, QualityConfig.defaults().withAvLateness(Duration.standardSeconds(10)));
    PipelineResult result = pipeline.run();
    result.waitUntilFinish();
    assertEquals(
        List.of(
            "row 2024-03-20 10:00:00 E_AUDIO_STATE sum 6 count 2 avg 3.0 created 2024-03-20 10:00:30",
            "marker on time",
            "row 2024-03-20 10:00:00 E_AUDIO_STATE sum 12 count 3 avg 4.0 created 2024-03-20 10:00:30",
            "marker lateness over",
            "dead late: event time 2024-03-20 10:00:29.999 is before 2024-03-20 10:00:41.000, the time its source gave the message"),
        List.copyOf(LOG));
    assertEquals(1, CourseDurationStreamingTest.counter(result, ClassroomMetrics.C5_LATE));
    assertEquals(2, CourseDurationStreamingTest.counter(result, ClassroomMetrics.C5_ROWS));
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
