package dev.stallwatch.classroom.transforms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stallwatch.classroom.domain.AvQualityRow;
import dev.stallwatch.classroom.domain.Message;
import dev.stallwatch.classroom.domain.QualityConfig;
import dev.stallwatch.classroom.reference.AvMessages;
import dev.stallwatch.classroom.reference.AvModel;
import dev.stallwatch.classroom.reference.QosStamps;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 * Property test of C5: on generated {@code agora_record} input (window edges ±1 ms, midnight,
 * missing key fields, states as JSON strings, {@code -1} and missing measures, duplicates, late and
 * allowed-late records, bad messages), {@link AvQuality}'s table — each row's last version, as the
 * upsert leaves it — is exactly {@link AvModel}'s, with the same dead letters and counts, in batch
 * and in streaming.
 */
@ExtendWith(TestPipelineExtension.class)
class AvQualityModelTest {

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("no lateness, bound 5 s, batch", 11L, 0L, 5_000L, false),
        Arguments.of("no lateness, bound 5 s, streaming", 11L, 0L, 5_000L, true),
        Arguments.of("no lateness, bound 60 s (default), streaming", 12L, 0L, 60_000L, true),
        Arguments.of("lateness 10 s, bound 5 s, batch", 13L, 10_000L, 5_000L, false),
        Arguments.of("lateness 10 s, bound 5 s, streaming", 13L, 10_000L, 5_000L, true),
        Arguments.of("lateness 10 s, bound 5 s, streaming", 14L, 10_000L, 5_000L, true));
  }

  @ParameterizedTest(name = "{0}, seed {1}")
  @MethodSource("cases")
  void pipelineAgreesWithTheModel(String name, long seed, long lateness, long bound, boolean streaming, TestPipeline pipeline) {
    QualityConfig config =
        QualityConfig.defaults().withAvLateness(Duration.millis(lateness)).withAvWatermarkBound(Duration.millis(bound));
    List<QosStamps.Arrival> arrivals = AvMessages.generate(seed, 700, bound, lateness, config.zone());
    QosStamps.Stamped stamped = QosStamps.stamp(arrivals, bound, lateness);
    AvModel.Result expected = AvModel.of(config).run(stamped.values());
    assertTrue(expected.rows.size() > 50, "a test that exercises little: " + expected.rows.size() + " rows");
    assertTrue(expected.late > 0 && expected.bad > 0 && expected.ignored > 0, "late, bad and ignored must all occur");

    PCollection<Message> messages =
        streaming
            ? pipeline.apply("Stream", QosStamps.stream(stamped, 25))
            : pipeline.apply("Batch", Create.timestamped(stamped.values()).withCoder(Message.MessageCoder.of()));
    PCollectionTuple out = messages.apply("AvQuality", AvQuality.of(config));

    List<String> want = new ArrayList<>();
    expected.rows.forEach(r -> want.add(r.toJson()));
    PAssert.that(out.get(AvQuality.rows()))
        .satisfies(
            got -> {
              // the upsert keeps each row's newest version: totals only grow, so the largest count
              Map<String, AvQualityRow> table = new HashMap<>();
              for (AvQualityRow r : got) {
                table.merge(r.startTime() + "\u0001" + r.key(), r, (a, b) -> a.count() >= b.count() ? a : b);
              }
              List<String> have = new ArrayList<>();
              table.values().forEach(r -> have.add(r.toJson()));
              have.sort(null);
              assertEquals(want, have);
              return null;
            });
    PAssert.that(out.get(AvQuality.deadLetters())).containsInAnyOrder(expected.deadLetters);
    PipelineResult result = pipeline.run();
    result.waitUntilFinish();
    assertEquals(expected.read, CourseDurationStreamingTest.counter(result, ClassroomMetrics.C5_READ));
    assertEquals(expected.bad, CourseDurationStreamingTest.counter(result, ClassroomMetrics.C5_BAD));
    assertEquals(expected.late, CourseDurationStreamingTest.counter(result, ClassroomMetrics.C5_LATE));
    assertEquals(expected.ignored, CourseDurationStreamingTest.counter(result, ClassroomMetrics.C5_IGNORED));
    long written = CourseDurationStreamingTest.counter(result, ClassroomMetrics.C5_ROWS);
    assertTrue(written >= expected.rows.size());
    if (streaming && lateness > 0) {
      assertTrue(written > expected.rows.size(), "no allowed-late record rewrote a row");
    }
  }
}
