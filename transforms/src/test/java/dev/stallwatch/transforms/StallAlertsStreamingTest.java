package dev.stallwatch.transforms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stallwatch.domain.Alert;
import dev.stallwatch.domain.Event;
import dev.stallwatch.domain.StallConfig;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Streaming behaviour scripted with {@link TestStream}: when an alert leaves relative to the
 * watermark, what a terminal row before the deadline does, and what happens to rows that come
 * later than the allowed lateness.
 *
 * <p>To see <em>when</em> an alert leaves, the stream also carries marker rows (mobile {@code
 * MARK}) that bypass the stall logic and are logged as they pass; the direct runner finishes all
 * work of one TestStream step before the next, so the log's order is the order of the steps.
 */
@ExtendWith(TestPipelineExtension.class)
class StallAlertsStreamingTest {
  private static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
  private static final ConcurrentLinkedQueue<String> LOG = new ConcurrentLinkedQueue<>();
  private static final Instant T0 = at("2024-03-20T10:00:00");

  @BeforeEach
  void clearLog() {
    LOG.clear();
  }

  private static Instant at(String localTime) {
    return new Instant(LocalDateTime.parse(localTime).atZone(ZONE).toInstant().toEpochMilli());
  }

  private static TimestampedValue<Event> row(String mobile, String status, String flag, Instant t) {
    Event e =
        Event.builder()
            .mobile(mobile)
            .userId("u-" + mobile)
            .requestNo("R1")
            .requestStatus(status)
            .businessFlag(flag)
            .eventMillis(t.getMillis())
            .build();
    return TimestampedValue.of(e, t);
  }

  private static TimestampedValue<Event> marker(String name, Instant t) {
    return row("MARK", "0", name, t);
  }

  private static PCollection<Alert> run(TestPipeline pipeline, TestStream<Event> stream) {
    PCollection<Event> events = pipeline.apply(stream);
    events
        .apply("Markers", Filter.by((Event e) -> e.mobile().equals("MARK")))
        .apply("LogMarkers", ParDo.of(new LogFn<>(e -> "marker " + e.businessFlag())));
    PCollection<Alert> alerts =
        events
            .apply("Applicants", Filter.by((Event e) -> !e.mobile().equals("MARK")))
            .apply(StallAlerts.of(StallConfig.defaults()));
    alerts.apply("LogAlerts", ParDo.of(new LogFn<>(a -> "alert " + a.route() + " " + a.mobile() + " " + a.occurTime())));
    return alerts;
  }

  @Test
  void alertLeavesWhenTheWatermarkPassesTheDeadlineAndNotBefore(TestPipeline pipeline) {
    Instant deadline = T0.plus(Duration.standardMinutes(8));
    TestStream<Event> stream =
        TestStream.create(Event.EventCoder.of())
            .addElements(row("13800000001", "0", "12100", T0))
            .advanceWatermarkTo(deadline.minus(Duration.millis(1)))
            .addElements(marker("before", deadline))
            .advanceWatermarkTo(deadline.plus(Duration.millis(1)))
            .addElements(marker("after", deadline.plus(Duration.millis(1))))
            .advanceWatermarkToInfinity();
    run(pipeline, stream);
    pipeline.run().waitUntilFinish();
    assertEquals(
        List.of(
            "marker before",
            "alert cc 13800000001 10:08:00",
            "alert mot 13800000001 10:08:00",
            "marker after"),
        sortedWithinSteps());
  }

  @Test
  void terminalRowBeforeTheDeadlineCancelsTheStall(TestPipeline pipeline) {
    TestStream<Event> stream =
        TestStream.create(Event.EventCoder.of())
            .addElements(row("13800000002", "0", "22109", T0), row("13800000003", "0", "12100", T0))
            .advanceWatermarkTo(T0.plus(Duration.standardMinutes(7)))
            // submitted 1 s before the 8-minute deadline; the video applicant is still pending
            .addElements(row("13800000003", "0", "22114", T0.plus(Duration.standardSeconds(479))))
            .advanceWatermarkTo(T0.plus(Duration.standardMinutes(29)))
            .addElements(row("13800000002", "1", "22114", T0.plus(Duration.standardMinutes(29))))
            .advanceWatermarkToInfinity();
    run(pipeline, stream);
    pipeline.run().waitUntilFinish();
    assertEquals(List.of(), sortedWithinSteps());
  }

  @Test
  void onlyTheDaysFirstStallLeavesEvenWhenTheSecondIsDecidedFirst(TestPipeline pipeline) {
    // A video stall at 10:00 (deadline 10:30) and, for a second user on the same mobile, a step
    // stall at 10:15 (deadline 10:23): the earliest occur time of the day wins on each route.
    TestStream<Event> stream =
        TestStream.create(Event.EventCoder.of())
            .addElements(row("13800000004", "0", "22109", T0))
            .addElements(
                TimestampedValue.of(
                    row("13800000004", "0", "12100", T0.plus(Duration.standardMinutes(15)))
                        .getValue()
                        .toBuilder()
                        .userId("second-user")
                        .build(),
                    T0.plus(Duration.standardMinutes(15))))
            .advanceWatermarkToInfinity();
    run(pipeline, stream);
    pipeline.run().waitUntilFinish();
    assertEquals(
        List.of("alert cc 13800000004 10:23:00", "alert mot 13800000004 10:23:00"),
        sortedWithinSteps());
  }

  @Test
  void rowsLaterThanTheAllowedLatenessAreCountedNotMerged(TestPipeline pipeline) {
    TestStream<Event> stream =
        TestStream.create(Event.EventCoder.of())
            .addElements(row("13800000005", "0", "12100", T0))
            .advanceWatermarkTo(T0.plus(Duration.standardHours(1)))
            // 1 minute after the first row, long after its session closed: too late to count
            .addElements(row("13800000005", "0", "22145", T0.plus(Duration.standardMinutes(1))))
            .advanceWatermarkToInfinity();
    run(pipeline, stream);
    PipelineResult result = pipeline.run();
    result.waitUntilFinish();
    assertEquals(
        List.of("alert cc 13800000005 10:08:00", "alert mot 13800000005 10:08:00"),
        sortedWithinSteps());
    assertTrue(droppedLate(result) >= 1, "late rows are counted by the grouping");
  }

  @Test
  void stallsAreCountedPerStepForTheDashboard(TestPipeline pipeline) {
    // Two ID_UPLOAD stalls (one each for two mobiles), one VIDEO stall, and a submitted applicant
    // whose PROFILE_EDIT row is no stall: the per-step counters say 2, 1 and nothing.
    TestStream<Event> stream =
        TestStream.create(Event.EventCoder.of())
            .addElements(row("13800000011", "0", "12100", T0), row("13800000012", "0", "12100", T0))
            .addElements(row("13800000013", "0", "22109", T0), row("13800000014", "0", "22145", T0))
            .addElements(row("13800000014", "0", "22114", T0.plus(Duration.standardMinutes(2))))
            .advanceWatermarkToInfinity();
    run(pipeline, stream);
    PipelineResult result = pipeline.run();
    result.waitUntilFinish();
    assertEquals(Map.of("ID_UPLOAD", 2L, "VIDEO", 1L), stallsAt(result));
  }

  private static Map<String, Long> stallsAt(PipelineResult result) {
    Map<String, Long> counts = new TreeMap<>();
    for (MetricResult<Long> c : result.metrics().queryMetrics(MetricsFilter.builder().build()).getCounters()) {
      String name = c.getName().getName();
      if (c.getName().getNamespace().equals(StallMetrics.NAMESPACE) && name.startsWith(StallMetrics.STALLS_AT)) {
        counts.merge(name.substring(StallMetrics.STALLS_AT.length()), c.getAttempted(), Long::sum);
      }
    }
    return counts;
  }

  private static long droppedLate(PipelineResult result) {
    MetricQueryResults metrics = result.metrics().queryMetrics(MetricsFilter.builder().build());
    long dropped = 0;
    for (MetricResult<Long> c : metrics.getCounters()) {
      if (c.getName().getName().equalsIgnoreCase(StallMetrics.DROPPED_LATE)) {
        dropped += c.getAttempted();
      }
    }
    return dropped;
  }

  /** The log, with alerts of one step (which may leave in any order) sorted among themselves. */
  private static List<String> sortedWithinSteps() {
    List<String> out = new ArrayList<>();
    List<String> run = new ArrayList<>();
    for (String line : LOG) {
      if (line.startsWith("alert")) {
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
}
