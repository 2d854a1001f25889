package dev.stallwatch.classroom.operations;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stallwatch.classroom.counts.GroupCount;
import dev.stallwatch.classroom.domain.OrderRow;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.LongStream;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.values.PCollection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * C7 ({@link ConsultantOrders}) against {@code ConsultantModel} on 15 seeded inputs of 150 order
 * rows each ({@link OperationRows#orders}), shuffled, in batch and in streaming (random batches,
 * the watermark moving forward in between, rows stamped with their update times), checked as in
 * {@link RegistrationsPropertyTest}. No mutation check, for the same reason: {@link
 * ConsultantOrders} builds its {@code RetractingCount} inside.
 */
@ExtendWith(TestPipelineExtension.class)
class ConsultantOrdersPropertyTest {
  private static final List<Long> SEEDS = LongStream.rangeClosed(1, 8).boxed().toList();
  private static final int ROWS = 150;

  private static List<OrderRow> all() {
    List<OrderRow> rows = new ArrayList<>();
    for (long seed : SEEDS) {
      rows.addAll(OperationRows.orders(seed, ROWS));
    }
    return rows;
  }

  private static void assertEverySeedHolds(PCollection<GroupCount> out) {
    PAssert.that(out)
        .satisfies(
            output -> {
              List<String> failing = new ArrayList<>();
              for (long seed : SEEDS) {
                Map<String, Long> expected = OperationRows.consultantModel(OperationRows.orders(seed, ROWS));
                String prefix = OperationRows.ccPrefix(seed);
                List<String> faults = OperationRows.violations(expected, output, g -> g.startsWith(prefix));
                if (!faults.isEmpty()) {
                  failing.add("seed " + seed + ": " + faults.size() + " faults: " + faults.subList(0, Math.min(5, faults.size())));
                }
              }
              assertTrue(failing.isEmpty(), String.join("\n", failing));
              return null;
            });
  }

  @Test
  void theInputsHoldEveryCaseTheSourcesSend() {
    int duplicates = 0, olderLater = 0, tiedTimes = 0, counted = 0, groups = 0, uncounted = 0;
    for (long seed : SEEDS) {
      List<OrderRow> rows = OperationRows.orders(seed, ROWS);
      Set<OrderRow> seen = new HashSet<>();
      Map<String, Long> newest = new HashMap<>();
      Map<String, Set<Long>> arrivals = new HashMap<>();
      for (OrderRow o : rows) {
        if (!seen.add(o)) {
          duplicates++;
          continue;
        }
        assertTrue(arrivals.computeIfAbsent(o.id(), k -> new HashSet<>()).add(o.arrival()), "two rows of " + o.id() + " at one arrival");
        Long n = newest.get(o.id());
        if (n != null && o.updateTime() < n) {
          olderLater++;
        } else if (n != null && o.updateTime() == n) {
          tiedTimes++;
        }
        if (n == null || o.updateTime() > n) {
          newest.put(o.id(), o.updateTime());
        }
      }
      Map<String, Long> model = OperationRows.consultantModel(rows);
      groups += model.size();
      counted += model.values().stream().mapToLong(Long::longValue).sum();
      uncounted += 30 - model.values().stream().mapToLong(Long::longValue).sum();
    }
    String summary = duplicates + " duplicates, " + olderLater + " older sent later, " + tiedTimes + " tied times, " + counted
        + " counted orders in " + groups + " groups, " + uncounted + " orders not counted";
    System.out.println("C7 inputs: " + summary);
    assertTrue(duplicates > 100 && olderLater > 100 && tiedTimes > 50 && counted > 50 && groups > 40 && uncounted > 60, summary);
  }

  @Test
  void inBatchEveryGroupEndsAtTheModelsCount(TestPipeline pipeline) {
    OperationRows.fast(pipeline);
    PCollection<OrderRow> rows = OperationRows.batch(pipeline, "Orders", all(), OrderRow::updateTime, OrderRow.OrderRowCoder.of(), 99);
    assertEverySeedHolds(rows.apply(ConsultantOrders.of("Asia/Shanghai", ConsultantOrders.DEFAULT_LATENESS)));
    pipeline.run().waitUntilFinish();
  }

  @Test
  void inStreamingInAnyOrderEveryGroupEndsAtTheModelsCount(TestPipeline pipeline) {
    OperationRows.fast(pipeline);
    PCollection<OrderRow> rows = pipeline.apply(OperationRows.stream(all(), OrderRow::updateTime, OrderRow.OrderRowCoder.of(), 7));
    assertEverySeedHolds(rows.apply(ConsultantOrders.of("Asia/Shanghai", ConsultantOrders.DEFAULT_LATENESS)));
    pipeline.run().waitUntilFinish();
  }
}
