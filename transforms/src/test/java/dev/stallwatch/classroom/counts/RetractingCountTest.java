package dev.stallwatch.classroom.counts;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.stallwatch.classroom.transforms.ClassroomMetrics;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.testing.CoderProperties;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link RetractingCount} on hand-written cases with literal expected rows and counters: a move
 * between groups, an older update after a newer one, a duplicate, a tie of versions, a delete, an
 * unchanged group, and expiry; its coders; {@link RetractingCountModel} on literal lists. Each case
 * is a {@link TestStream} whose steps fix the order the composite sees the updates in (the direct
 * runner finishes each step before the next).
 */
@ExtendWith(TestPipelineExtension.class)
class RetractingCountTest {
  private static final long T0 = CountUpdates.BASE;
  private static final long MINUTE = 60_000L;

  private static CountUpdate update(String id, String group, long version, long arrival) {
    return CountUpdate.of(id, group, version, arrival);
  }

  private static TimestampedValue<CountUpdate> stamped(CountUpdate u) {
    return TimestampedValue.of(u, new Instant(u.version()));
  }

  /** The updates one step each, in this order. */
  private static TestStream<CountUpdate> inOrder(CountUpdate... updates) {
    TestStream.Builder<CountUpdate> stream = TestStream.create(CountUpdate.CountUpdateCoder.of());
    for (CountUpdate u : updates) {
      stream = stream.addElements(stamped(u));
    }
    return stream.advanceWatermarkToInfinity();
  }

  /** The rows as {@code "group count revision @stamp-T0"}, checking each is in the global window. */
  private static PCollection<String> rows(TestPipeline pipeline, TestStream<CountUpdate> stream) {
    return pipeline
        .apply(stream)
        .apply(RetractingCount.create("t_"))
        .apply(
            "Describe",
            ParDo.of(
                new DoFn<GroupCount, String>() {
                  @ProcessElement
                  public void process(@Element GroupCount c, @Timestamp Instant stamp, BoundedWindow window, OutputReceiver<String> out) {
                    if (!(window instanceof GlobalWindow)) {
                      throw new AssertionError("not in the global window: " + window);
                    }
                    out.output(c.group() + " " + c.count() + " " + c.revision() + " @" + (stamp.getMillis() - T0));
                  }
                }));
  }

  private static long counter(PipelineResult result, String name) {
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

  @Test
  void aStudentMovingFromAToBLeavesAAtZero(TestPipeline pipeline) {
    PAssert.that(rows(pipeline, inOrder(update("s1", "A", T0, 1), update("s1", "B", T0 + MINUTE, 2))))
        .containsInAnyOrder("A 1 1 @0", "A 0 2 @60000", "B 1 1 @60000");
    PipelineResult result = pipeline.run();
    result.waitUntilFinish();
    assertEquals(2, counter(result, "t_updates"));
    assertEquals(1, counter(result, "t_decrements"));
    assertEquals(1, counter(result, "t_reached_zero"));
    assertEquals(0, counter(result, "t_superseded"));
    assertEquals(0, counter(result, "t_negative"));
  }

  @Test
  void anOlderUpdateAfterANewerOneChangesNothing(TestPipeline pipeline) {
    PAssert.that(rows(pipeline, inOrder(update("s1", "B", T0 + MINUTE, 1), update("s1", "A", T0, 2))))
        .containsInAnyOrder("B 1 1 @60000");
    PipelineResult result = pipeline.run();
    result.waitUntilFinish();
    assertEquals(1, counter(result, "t_superseded"));
    assertEquals(0, counter(result, "t_decrements"));
  }

  @Test
  void aDuplicateChangesNothing(TestPipeline pipeline) {
    CountUpdate u = update("s1", "A", T0, 7);
    PAssert.that(rows(pipeline, inOrder(u, u, update("s2", "A", T0, 8), u))).containsInAnyOrder("A 1 1 @0", "A 2 2 @0");
    PipelineResult result = pipeline.run();
    result.waitUntilFinish();
    assertEquals(4, counter(result, "t_updates"));
    assertEquals(2, counter(result, "t_superseded"));
  }

  @Test
  void atEqualVersionsTheLargerArrivalWinsWhicheverComesFirst(TestPipeline pipeline) {
    // s1: arrival 5 (B) is the latest though it comes first; s2: arrival 6 (B) comes last and wins
    PAssert.that(
            rows(
                pipeline,
                inOrder(
                    update("s1", "B", T0, 5),
                    update("s1", "A", T0, 4),
                    update("s2", "A", T0, 3),
                    update("s2", "B", T0, 6))))
        .containsInAnyOrder("B 1 1 @0", "A 1 1 @0", "A 0 2 @0", "B 2 2 @0");
    PipelineResult result = pipeline.run();
    result.waitUntilFinish();
    assertEquals(1, counter(result, "t_superseded"));
  }

  @Test
  void aDeleteOrCancelDecrementsAndANewerSameGroupDoesNot(TestPipeline pipeline) {
    PAssert.that(
            rows(
                pipeline,
                inOrder(
                    update("s1", "A", T0, 1),
                    update("s1", "A", T0 + MINUTE, 2),
                    update("s1", null, T0 + 2 * MINUTE, 3),
                    update("s1", null, T0 + 3 * MINUTE, 4),
                    update("s1", "A", T0 + 4 * MINUTE, 5))))
        .containsInAnyOrder("A 1 1 @0", "A 0 2 @120000", "A 1 3 @240000");
    PipelineResult result = pipeline.run();
    result.waitUntilFinish();
    assertEquals(2, counter(result, "t_unchanged"));
    assertEquals(1, counter(result, "t_decrements"));
    assertEquals(1, counter(result, "t_reached_zero"));
  }

  @Test
  void afterExpiryAnUpdateCountsWithoutRetractingAndAnExpiredGroupStartsAgain(TestPipeline pipeline) {
    long soon = T0 + 10 * MINUTE;
    long never = Long.MAX_VALUE;
    TestStream<CountUpdate> stream =
        TestStream.create(CountUpdate.CountUpdateCoder.of())
            // s1 in A until `soon`, s2 keeps A alive; s3 alone in C until `soon`
            .addElements(
                stamped(new CountUpdate("s1", "A", T0, 1, soon)),
                stamped(new CountUpdate("s2", "A", T0, 2, never)),
                stamped(new CountUpdate("s3", "C", T0, 3, soon)))
            .advanceWatermarkTo(new Instant(soon + MINUTE))
            // s1 is forgotten: it counts in B without leaving A; s3 too, and C has forgotten its count
            .addElements(
                stamped(new CountUpdate("s1", "B", soon + 2 * MINUTE, 4, never)),
                stamped(new CountUpdate("s3", "C", soon + 2 * MINUTE, 5, never)))
            .advanceWatermarkToInfinity();
    long later = soon + 2 * MINUTE - T0;
    // the second "C 1 1" row is how a revision restarts after expiry: expiresAt must be chosen so this cannot happen
    PAssert.that(rows(pipeline, stream))
        .containsInAnyOrder("A 1 1 @0", "A 2 2 @0", "C 1 1 @0", "B 1 1 @" + later, "C 1 1 @" + later);
    PipelineResult result = pipeline.run();
    result.waitUntilFinish();
    assertEquals(0, counter(result, "t_decrements"));
    assertEquals(0, counter(result, "t_unchanged"));
  }

  @Test
  void aLaterExpiryKeepsTheIdAndItsGroup(TestPipeline pipeline) {
    long soon = T0 + 10 * MINUTE;
    TestStream<CountUpdate> stream =
        TestStream.create(CountUpdate.CountUpdateCoder.of())
            .addElements(stamped(new CountUpdate("s1", "A", T0, 1, soon)))
            // the same group, now never expiring (s2 likewise by a superseded row): A must live on too
            .addElements(stamped(new CountUpdate("s1", "A", T0 + MINUTE, 2, Long.MAX_VALUE)))
            .addElements(stamped(new CountUpdate("s2", "C", T0 + MINUTE, 3, soon)))
            .addElements(stamped(new CountUpdate("s2", null, T0, 4, Long.MAX_VALUE)))
            .advanceWatermarkTo(new Instant(soon + MINUTE))
            .addElements(
                stamped(new CountUpdate("s1", "B", soon + 2 * MINUTE, 5, Long.MAX_VALUE)),
                stamped(new CountUpdate("s2", null, soon + 2 * MINUTE, 6, Long.MAX_VALUE)))
            .advanceWatermarkToInfinity();
    long later = soon + 2 * MINUTE - T0;
    PAssert.that(rows(pipeline, stream))
        .containsInAnyOrder("A 1 1 @0", "C 1 1 @60000", "A 0 2 @" + later, "B 1 1 @" + later, "C 0 2 @" + later);
    PipelineResult result = pipeline.run();
    result.waitUntilFinish();
    assertEquals(0, counter(result, "t_negative"));
  }

  @Test
  void withoutExpiryTheSameUpdatesRetract(TestPipeline pipeline) {
    long never = Long.MAX_VALUE;
    TestStream<CountUpdate> stream =
        TestStream.create(CountUpdate.CountUpdateCoder.of())
            .addElements(stamped(new CountUpdate("s1", "A", T0, 1, never)), stamped(new CountUpdate("s2", "A", T0, 2, never)))
            .advanceWatermarkTo(new Instant(T0 + 11 * MINUTE))
            .addElements(stamped(new CountUpdate("s1", "B", T0 + 12 * MINUTE, 4, never)))
            .advanceWatermarkToInfinity();
    PAssert.that(rows(pipeline, stream)).containsInAnyOrder("A 1 1 @0", "A 2 2 @0", "A 1 3 @720000", "B 1 1 @720000");
    pipeline.run().waitUntilFinish();
  }

  @Test
  void theCodersRoundTrip() throws Exception {
    CoderProperties.coderDecodeEncodeEqual(CountUpdate.CountUpdateCoder.of(), new CountUpdate("s1", null, -5, 0, Long.MAX_VALUE));
    CoderProperties.coderDecodeEncodeEqual(CountUpdate.CountUpdateCoder.of(), new CountUpdate("", "", Long.MIN_VALUE, -1, 0));
    CoderProperties.coderDecodeEncodeEqual(CountUpdate.CountUpdateCoder.of(), new CountUpdate("学生 1", "2024032010_A", T0, 12345, T0));
    CoderProperties.coderDecodeEncodeEqual(GroupCount.GroupCountCoder.of(), new GroupCount("2024032010_A", -1, 3));
    CoderProperties.coderDecodeEncodeEqual(GroupCount.GroupCountCoder.of(), new GroupCount("", 0, Long.MAX_VALUE));
    CoderProperties.coderDeterministic(GroupCount.GroupCountCoder.of(), new GroupCount("g", 2, 1), new GroupCount("g", 2, 1));
  }

  @Test
  void theModelKeepsTheLatestPerIdInAnyOrder() {
    List<CountUpdate> updates =
        new ArrayList<>(
            List.of(
                update("s1", "A", 10, 1),
                update("s1", "B", 20, 2), // s1 ends in B
                update("s1", "A", 15, 3), // older, arrives later
                update("s2", "A", 10, 4),
                update("s2", null, 10, 5), // same version, later arrival: s2 counts nowhere
                update("s3", "B", 10, 6),
                update("s3", "B", 10, 6), // duplicate
                update("s4", "C", 30, 7),
                update("s5", "A", 5, 8)));
    Map<String, Long> expected = Map.of("A", 1L, "B", 2L, "C", 1L);
    assertEquals(expected, RetractingCountModel.finalCounts(updates));
    Collections.reverse(updates);
    assertEquals(expected, RetractingCountModel.finalCounts(updates));
    Collections.shuffle(updates, new java.util.Random(3));
    assertEquals(expected, RetractingCountModel.finalCounts(updates));
    assertEquals(Map.of(), RetractingCountModel.finalCounts(List.of(update("s1", "A", 1, 1), update("s1", null, 2, 2))));
  }

  @Test
  void theCheckRejectsAWrongLastCountAMissingGroupAndBadRevisions() {
    List<CountUpdate> updates = List.of(update("s1", "A", 1, 1), update("s1", "B", 2, 2));
    assertEquals(List.of(), CountUpdates.violations(updates, List.of(new GroupCount("A", 1, 1), new GroupCount("A", 0, 2), new GroupCount("B", 1, 1))));
    assertEquals(List.of(), CountUpdates.violations(updates, List.of(new GroupCount("B", 1, 1))));
    assertEquals(1, CountUpdates.violations(updates, List.of(new GroupCount("A", 1, 1), new GroupCount("B", 1, 1))).size());
    assertEquals(1, CountUpdates.violations(updates, List.of(new GroupCount("A", 0, 2), new GroupCount("B", 1, 1))).size());
    assertEquals(1, CountUpdates.violations(updates, List.of()).size());
    assertEquals(1, CountUpdates.violations(updates, List.of(new GroupCount("B", 1, 1), new GroupCount("B", 1, 1))).size());
  }
}
