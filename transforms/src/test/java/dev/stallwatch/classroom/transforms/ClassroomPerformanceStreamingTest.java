package dev.stallwatch.classroom.transforms;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.stallwatch.classroom.domain.Message;
import dev.stallwatch.classroom.domain.Signal;
import dev.stallwatch.classroom.domain.SignalCount;
import dev.stallwatch.classroom.domain.SignalsConfig;
import dev.stallwatch.domain.BadRecord;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * C3 in streaming, scripted with {@link TestStream}: a window's row leaves when the watermark
 * passes the window's end and not before; a late signal within the allowed lateness updates it (a
 * new pane counting every signal); one the source stamped as too late is a dead letter, never a
 * silent drop, and Beam's drop rule and {@link SignalsConfig#tooLate} agree at the edge.
 *
 * <p>As in the stall job's streaming test, marker messages (key {@code MARK}) bypass the jobs and
 * are logged as they pass; the direct runner finishes each TestStream step before the next, so the
 * log's order is the order of the steps.
 */
@ExtendWith(TestPipelineExtension.class)
class ClassroomPerformanceStreamingTest {
  private static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
  private static final ConcurrentLinkedQueue<String> LOG = new ConcurrentLinkedQueue<>();
  private static int offset;

  @BeforeEach
  void clearLog() {
    LOG.clear();
  }

  private static Instant at(String localTime) {
    return new Instant(LocalDateTime.parse(localTime).atZone(ZONE).toInstant().toEpochMilli());
  }

  /** A SHAPE_MOVE of {@code user} at {@code t}, stamped with {@code stamp}. */
  private static TimestampedValue<Message> move(String user, Instant t, Instant stamp) {
    String value =
        "{\"data\":{\"userid\":\"" + user + "\",\"roomId\":\"88\",\"timestamp\":" + t.getMillis()
            + ",\"role\":2,\"msgid\":305,\"msg\":{\"msgtype\":116,\"msg_data\":{\"target_type\":\"shape\",\"action\":\"move\"}}}}";
    return TimestampedValue.of(new Message("k", value, "timeline_client_topic-0@" + offset++), stamp);
  }

  /** As the source stamps a signal that is not too late: with its event time. */
  private static TimestampedValue<Message> move(String user, Instant t) {
    return move(user, t, t);
  }

  private static TimestampedValue<Message> marker(String name, Instant t) {
    return TimestampedValue.of(new Message("MARK", name, "mark"), t);
  }

  private static PipelineResult run(TestPipeline pipeline, TestStream<Message> stream, SignalsConfig config) {
    PCollection<Message> messages = pipeline.apply(stream);
    messages
        .apply("Markers", Filter.by((Message m) -> "MARK".equals(m.key())))
        .apply("LogMarkers", ParDo.of(new LogFn<>(m -> "marker " + m.value())));
    PCollectionTuple cleaned =
        messages.apply("Signals", Filter.by((Message m) -> !"MARK".equals(m.key()))).apply(CleanSignals.of(config));
    cleaned.get(CleanSignals.deadLetters()).apply("LogDead", ParDo.of(new LogFn<>(d -> "dead " + d.reason())));
    PCollectionTuple c3 = cleaned.get(CleanSignals.signals()).apply(ClassroomPerformance.of(config));
    c3.get(ClassroomPerformance.rows()).apply("LogRows", ParDo.of(new RowLogFn()));
    PipelineResult result = pipeline.run();
    result.waitUntilFinish();
    return result;
  }

  @Test
  void aRowLeavesWhenTheWatermarkPassesTheWindowsEndAndNotBefore(TestPipeline pipeline) {
    Instant end = at("2024-03-20T10:01:00");
    TestStream<Message> stream =
        TestStream.create(Message.MessageCoder.of())
            .addElements(
                move("u1", at("2024-03-20T10:00:00")),
                move("u1", end.minus(Duration.millis(1))),
                move("u1", end), // the next minute
                move("u1", end.minus(Duration.millis(1)))) // the same signal again: counted once
            .advanceWatermarkTo(end.minus(Duration.millis(1)))
            .addElements(marker("at the window's last millisecond", end))
            .advanceWatermarkTo(end)
            .addElements(marker("at the window's end", end))
            .advanceWatermarkToInfinity();
    run(pipeline, stream, SignalsConfig.defaults());
    assertEquals(
        List.of(
            "marker at the window's last millisecond",
            "row 2024-03-20 10:00:00 u1 SHAPE_MOVE 2 ON_TIME create 2024-03-20 10:00:59",
            "marker at the window's end",
            "row 2024-03-20 10:01:00 u1 SHAPE_MOVE 1 ON_TIME create 2024-03-20 10:01:00"),
        List.copyOf(LOG));
  }

  @Test
  void aLateSignalWithinTheAllowedLatenessUpdatesItsRow(TestPipeline pipeline) {
    SignalsConfig config = SignalsConfig.defaults().toBuilder().allowedLateness(Duration.standardSeconds(30)).build();
    Instant end = at("2024-03-20T10:01:00");
    Instant gc = end.minus(Duration.millis(1)).plus(Duration.standardSeconds(30)); // 10:01:29.999
    TestStream<Message> stream =
        TestStream.create(Message.MessageCoder.of())
            .addElements(move("u1", at("2024-03-20T10:00:10")), move("u1", at("2024-03-20T10:00:20")))
            .advanceWatermarkTo(at("2024-03-20T10:01:10"))
            .addElements(marker("window closed", end))
            .addElements(move("u1", at("2024-03-20T10:00:30")))
            .addElements(marker("late signal", end))
            // the edge: the window's last millisecond plus the lateness is the watermark itself
            .advanceWatermarkTo(gc)
            .addElements(move("u1", at("2024-03-20T10:00:40")))
            .addElements(marker("at the edge", end))
            // 1 ms further, and the source stamps the next one with its watermark: too late
            .advanceWatermarkTo(gc.plus(Duration.millis(1)))
            .addElements(move("u1", at("2024-03-20T10:00:50"), gc.plus(Duration.millis(1))))
            .addElements(marker("too late", end))
            .advanceWatermarkToInfinity();
    PipelineResult result = run(pipeline, stream, config);
    assertEquals(
        List.of(
            "row 2024-03-20 10:00:00 u1 SHAPE_MOVE 2 ON_TIME create 2024-03-20 10:00:20",
            "marker window closed",
            "row 2024-03-20 10:00:00 u1 SHAPE_MOVE 3 LATE create 2024-03-20 10:00:30",
            "marker late signal",
            "row 2024-03-20 10:00:00 u1 SHAPE_MOVE 4 LATE create 2024-03-20 10:00:40",
            "marker at the edge",
            "dead late: event time 2024-03-20 10:00:50.000 is before 2024-03-20 10:01:30.000, the time its source gave the message",
            "marker too late"),
        List.copyOf(LOG));
    assertEquals(1, counter(result, ClassroomMetrics.C1_LATE));
    assertEquals(0, counter(result, "droppedDueToLateness"), "Beam dropped nothing");
  }

  @Test
  void withNoLatenessATooLateSignalIsADeadLetterAndTheRowStays(TestPipeline pipeline) {
    Instant end = at("2024-03-20T10:01:00");
    TestStream<Message> stream =
        TestStream.create(Message.MessageCoder.of())
            .addElements(move("u1", at("2024-03-20T10:00:10")), move("u2", at("2024-03-20T10:00:59.999")))
            .advanceWatermarkTo(end)
            .addElements(marker("window closed", end))
            // the source's watermark is past the window: it stamps the signal with the watermark
            .addElements(move("u1", at("2024-03-20T10:00:20"), end))
            .addElements(marker("too late", end))
            .advanceWatermarkToInfinity();
    PipelineResult result = run(pipeline, stream, SignalsConfig.defaults());
    List<String> log = new ArrayList<>(LOG);
    assertEquals(
        List.of(
            "row 2024-03-20 10:00:00 u1 SHAPE_MOVE 1 ON_TIME create 2024-03-20 10:00:10",
            "row 2024-03-20 10:00:00 u2 SHAPE_MOVE 1 ON_TIME create 2024-03-20 10:00:59",
            "marker window closed",
            "dead late: event time 2024-03-20 10:00:20.000 is before 2024-03-20 10:01:00.000, the time its source gave the message",
            "marker too late"),
        sortedWithinSteps(log));
    assertEquals(1, counter(result, ClassroomMetrics.C1_LATE));
    assertEquals(2, counter(result, ClassroomMetrics.C1_SIGNALS));
    assertEquals(0, counter(result, "droppedDueToLateness"));
  }

  @Test
  void readingC1sTopicASignalStampedLaterThanItsTimeIsALateDeadLetter(TestPipeline pipeline) {
    Instant t = at("2024-03-20T10:00:10");
    Signal s = new Signal("k", "timeline_analysis_student-0@3", "", t.getMillis(), "u1", "88", "2", "305", "116", "", "shape", "move", "", "", "SHAPE_MOVE");
    Signal late = new Signal("k", "timeline_analysis_student-0@4", "", t.getMillis(), "u2", "88", "2", "305", "116", "", "shape", "move", "", "", "SHAPE_MOVE");
    PCollectionTuple c3 =
        pipeline
            .apply(
                Create.timestamped(
                        TimestampedValue.of(s, t.minus(Duration.standardHours(1))), // moved forward to its time
                        TimestampedValue.of(late, t.plus(Duration.standardMinutes(1))))
                    .withCoder(Signal.SignalCoder.of()))
            .apply(ClassroomPerformance.of(SignalsConfig.defaults()));
    long start = at("2024-03-20T10:00:00").getMillis();
    PAssert.that(c3.get(ClassroomPerformance.rows()))
        .containsInAnyOrder(new SignalCount(start, start + 60_000, t.getMillis(), "Asia/Shanghai", "88", "u1", "2", "SHAPE_MOVE", 1));
    PAssert.that(c3.get(ClassroomPerformance.deadLetters()))
        .containsInAnyOrder(
            BadRecord.of(
                late.toJson(),
                "timeline_analysis_student-0@4",
                "late: event time 2024-03-20 10:00:10.000 is before 2024-03-20 10:01:10.000, the time its source gave the signal"));
    PipelineResult result = pipeline.run();
    result.waitUntilFinish();
    assertEquals(1, counter(result, ClassroomMetrics.C3_LATE));
  }

  private static long counter(PipelineResult result, String name) {
    long sum = 0;
    for (MetricResult<Long> c : result.metrics().queryMetrics(MetricsFilter.builder().build()).getCounters()) {
      if (c.getName().getName().equalsIgnoreCase(name)) {
        sum += c.getAttempted();
      }
    }
    return sum;
  }

  /** The log, rows of one step (which may leave in any order) sorted among themselves. */
  private static List<String> sortedWithinSteps(List<String> log) {
    List<String> out = new ArrayList<>();
    List<String> run = new ArrayList<>();
    for (String line : log) {
      if (line.startsWith("row")) {
        run.add(line);
      } else {
        run.sort(null);
        out.addAll(run);
        run.clear();
        out.add(line);
      }
    }
    run.sort(null);
    out.addAll(run);
    return out;
  }

  private interface Describe<T> extends java.io.Serializable {
    String of(T value);
  }

  private static final class LogFn<T> extends DoFn<T, Void> {
    private final Describe<T> describe;

    LogFn(Describe<T> describe) {
      this.describe = describe;
    }

    @ProcessElement
    public void process(@Element T value) {
      LOG.add(describe.of(value));
    }
  }

  private static final class RowLogFn extends DoFn<SignalCount, Void> {
    @ProcessElement
    public void process(@Element SignalCount r, PaneInfo pane) {
      LOG.add(
          "row " + r.startTime() + " " + r.userId() + " " + r.event() + " " + r.eventCount() + " " + pane.getTiming()
              + " create " + r.createTime());
    }
  }
}
