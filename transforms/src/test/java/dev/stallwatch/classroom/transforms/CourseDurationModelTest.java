package dev.stallwatch.classroom.transforms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stallwatch.classroom.domain.CourseDurationRow;
import dev.stallwatch.classroom.domain.Message;
import dev.stallwatch.classroom.domain.QualityConfig;
import dev.stallwatch.classroom.reference.CourseMessages;
import dev.stallwatch.classroom.reference.CourseModel;
import dev.stallwatch.classroom.reference.QosStamps;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.joda.time.Duration;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Property test of C4: on generated {@code qos_log} input (disorder, duplicates, late records,
 * visits an idle time ±1 ms apart, ties, midnight, JSON strings for objects, bad messages), {@link
 * CourseDuration} gives exactly {@link CourseModel}'s rows, dead letters and counts — in batch
 * (every message at once) and in streaming (a {@code TestStream} whose watermark moves as the
 * source's would), so any input order gives the same rows.
 */
@ExtendWith(TestPipelineExtension.class)
class CourseDurationModelTest {

  static Stream<Arguments> cases() {
    Duration tenMinutes = Duration.standardMinutes(10);
    Duration day = Duration.standardDays(1);
    return Stream.of(
        Arguments.of("idle 10 min, bound 30 s, batch", 1L, tenMinutes, 30_000L, false),
        Arguments.of("idle 10 min, bound 30 s, streaming", 1L, tenMinutes, 30_000L, true),
        Arguments.of("idle 10 min, bound 30 s, streaming", 2L, tenMinutes, 30_000L, true),
        Arguments.of("idle 10 min, bound 2 min, batch", 3L, tenMinutes, 120_000L, false),
        Arguments.of("idle 10 min, bound 2 min, streaming", 3L, tenMinutes, 120_000L, true),
        Arguments.of("idle 1 day (default), bound 60 s, batch", 4L, day, 60_000L, false),
        Arguments.of("idle 1 day (default), bound 60 s, streaming", 4L, day, 60_000L, true));
  }

  @ParameterizedTest(name = "{0}, seed {1}")
  @MethodSource("cases")
  void pipelineAgreesWithTheModel(String name, long seed, Duration idle, long bound, boolean streaming, TestPipeline pipeline) {
    QualityConfig config = QualityConfig.defaults().withCourseIdle(idle).withCourseWatermarkBound(Duration.millis(bound));
    List<QosStamps.Arrival> arrivals = CourseMessages.generate(seed, 60, idle.getMillis(), bound, config.zone());
    QosStamps.Stamped stamped = QosStamps.stamp(arrivals, bound, 0);
    CourseModel.Result expected = CourseModel.of(config).run(stamped.values());
    assertTrue(expected.rows.size() > 40, "a test that exercises little: " + expected.rows.size() + " rows");
    assertTrue(expected.late > 0 && expected.bad > 0 && expected.unmatched > 0, "late, bad and unmatched must all occur");

    PCollection<Message> messages =
        streaming
            ? pipeline.apply("Stream", QosStamps.stream(stamped, 25))
            : pipeline.apply("Batch", Create.timestamped(stamped.values()).withCoder(Message.MessageCoder.of()));
    PCollectionTuple out = messages.apply("CourseDuration", CourseDuration.of(config));

    List<String> want = json(expected.rows);
    PAssert.that(out.get(CourseDuration.rows()))
        .satisfies(
            got -> {
              List<CourseDurationRow> list = new ArrayList<>();
              got.forEach(list::add);
              assertEquals(want, json(list));
              return null;
            });
    PAssert.that(out.get(CourseDuration.deadLetters())).containsInAnyOrder(expected.deadLetters);
    PipelineResult result = pipeline.run();
    result.waitUntilFinish();
    assertEquals(expected.read, CourseDurationStreamingTest.counter(result, ClassroomMetrics.C4_READ));
    assertEquals(expected.bad, CourseDurationStreamingTest.counter(result, ClassroomMetrics.C4_BAD));
    assertEquals(expected.late, CourseDurationStreamingTest.counter(result, ClassroomMetrics.C4_LATE));
    assertEquals(expected.rows.size(), CourseDurationStreamingTest.counter(result, ClassroomMetrics.C4_ROWS));
    assertEquals(expected.unmatched, CourseDurationStreamingTest.counter(result, ClassroomMetrics.C4_UNMATCHED));
  }

  private static List<String> json(List<CourseDurationRow> rows) {
    List<String> out = new ArrayList<>();
    for (CourseDurationRow r : rows) {
      out.add(r.toJson());
    }
    out.sort(null);
    return out;
  }
}
