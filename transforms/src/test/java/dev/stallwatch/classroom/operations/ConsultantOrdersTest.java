package dev.stallwatch.classroom.operations;

import static dev.stallwatch.classroom.operations.OperationRows.at;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.stallwatch.classroom.counts.GroupCount;
import dev.stallwatch.classroom.domain.OrderRow;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * C7 ({@link ConsultantOrders}) on hand-written cases, the expected counts written out; rows in
 * {@code TestStream} steps, so they are met in the order written. A confirmation at 07:30 on
 * 2024-03-21 in Asia/Shanghai is 23:30 UTC the day before: it counts on the local day 2024-03-21.
 */
@ExtendWith(TestPipelineExtension.class)
class ConsultantOrdersTest {
  private static final long CONFIRMED = at("2024-03-21T07:30:00");
  private static final long T1 = at("2024-03-21T08:00:00");
  private static final long T2 = at("2024-03-21T09:00:00");

  private static OrderRow order(String id, String cc, Long confirm, Integer status, long updateTime, long arrival) {
    return new OrderRow(id, cc, "stu-" + id, "ord-" + id, confirm, status != null && status == 5 ? updateTime : null, status, updateTime, arrival);
  }

  @SafeVarargs
  private static PCollection<GroupCount> run(TestPipeline pipeline, List<OrderRow>... steps) {
    TestStream.Builder<OrderRow> stream = TestStream.create(OrderRow.OrderRowCoder.of());
    for (List<OrderRow> step : steps) {
      @SuppressWarnings("unchecked")
      TimestampedValue<OrderRow>[] values = new TimestampedValue[step.size()];
      for (int i = 0; i < values.length; i++) {
        values[i] = TimestampedValue.of(step.get(i), new Instant(step.get(i).updateTime()));
      }
      stream = stream.addElements(values[0], Arrays.copyOfRange(values, 1, values.length));
    }
    return pipeline
        .apply(stream.advanceWatermarkToInfinity())
        .apply(ConsultantOrders.of("Asia/Shanghai", ConsultantOrders.DEFAULT_LATENESS));
  }

  @Test
  void aConfirmedOrderCountsForItsConsultantOnTheLocalDay(TestPipeline pipeline) {
    PCollection<GroupCount> out = run(pipeline, List.of(order("o1", "cc7", CONFIRMED, 3, T1, 1)));
    PAssert.that(out).containsInAnyOrder(new GroupCount("cc7|2024-03-21", 1, 1));
    pipeline.run().waitUntilFinish();
  }

  @Test
  void aCancellationTakesTheOrderOut(TestPipeline pipeline) {
    PCollection<GroupCount> out =
        run(pipeline, List.of(order("o1", "cc7", CONFIRMED, 3, T1, 1)), List.of(order("o1", "cc7", CONFIRMED, 5, T2, 2)));
    PAssert.that(out).containsInAnyOrder(new GroupCount("cc7|2024-03-21", 1, 1), new GroupCount("cc7|2024-03-21", 0, 2));
    pipeline.run().waitUntilFinish();
  }

  @Test
  void aLateOlderRowChangesNothing(TestPipeline pipeline) {
    // the cancellation has the older update_time, though it comes later (offset 2)
    PCollection<GroupCount> out =
        run(pipeline, List.of(order("o1", "cc7", CONFIRMED, 3, T2, 1)), List.of(order("o1", "cc7", CONFIRMED, 5, T1, 2)));
    PAssert.that(out).containsInAnyOrder(new GroupCount("cc7|2024-03-21", 1, 1));
    pipeline.run().waitUntilFinish();
  }

  @Test
  void aLateNewerRowIsApplied(TestPipeline pipeline) {
    // the other way round: the newer row (the cancellation) is met first, the confirmation never counts
    PCollection<GroupCount> out =
        run(pipeline, List.of(order("o1", "cc7", CONFIRMED, 5, T2, 2)), List.of(order("o1", "cc7", CONFIRMED, 3, T1, 1)));
    PAssert.that(out).empty();
    pipeline.run().waitUntilFinish();
  }

  @Test
  void anOrderMovedToAnotherConsultantMovesItsCount(TestPipeline pipeline) {
    PCollection<GroupCount> out =
        run(
            pipeline,
            List.of(order("o1", "cc7", CONFIRMED, 3, T1, 1), order("o2", "cc7", CONFIRMED, 3, T1, 2)),
            List.of(order("o1", "cc8", CONFIRMED, 3, T2, 3)));
    PAssert.that(out)
        .satisfies(
            rows -> {
              assertEquals(Map.of("cc7|2024-03-21", 1L, "cc8|2024-03-21", 1L), OperationRows.finals(rows));
              return null;
            });
    pipeline.run().waitUntilFinish();
  }

  @Test
  void aChangedConfirmationDayMovesTheCount(TestPipeline pipeline) {
    // local times: one second before and at midnight (15:59:59 and 16:00 UTC, both on the 20th in UTC)
    PCollection<GroupCount> out =
        run(
            pipeline,
            List.of(order("o1", "cc7", at("2024-03-20T23:59:59"), 3, T1, 1)),
            List.of(order("o1", "cc7", at("2024-03-21T00:00:00"), 3, T2, 2)));
    PAssert.that(out)
        .containsInAnyOrder(
            new GroupCount("cc7|2024-03-20", 1, 1), new GroupCount("cc7|2024-03-20", 0, 2), new GroupCount("cc7|2024-03-21", 1, 1));
    pipeline.run().waitUntilFinish();
  }

  @Test
  void onlyStatusThreeWithAConfirmationTimeAndAConsultantCounts(TestPipeline pipeline) {
    PCollection<GroupCount> out =
        run(
            pipeline,
            List.of(
                order("o1", "cc7", null, 3, T1, 1),
                order("o2", "cc7", CONFIRMED, 2, T1, 2),
                order("o3", "cc7", CONFIRMED, null, T1, 3),
                order("o4", null, CONFIRMED, 3, T1, 4),
                order("o5", "cc9", CONFIRMED, 3, T1, 5),
                // a replay of o5's row: the same row, counted once
                order("o5", "cc9", CONFIRMED, 3, T1, 5)));
    PAssert.that(out).containsInAnyOrder(new GroupCount("cc9|2024-03-21", 1, 1));
    pipeline.run().waitUntilFinish();
  }

  @Test
  void atEqualUpdateTimesTheLaterArrivalWins(TestPipeline pipeline) {
    PCollection<GroupCount> out =
        run(pipeline, List.of(order("o1", "cc7", CONFIRMED, 5, T1, 2)), List.of(order("o1", "cc7", CONFIRMED, 3, T1, 1)));
    PAssert.that(out).empty();
    pipeline.run().waitUntilFinish();
  }
}
