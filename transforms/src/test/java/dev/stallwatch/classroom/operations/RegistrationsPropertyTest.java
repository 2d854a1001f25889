package dev.stallwatch.classroom.operations;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stallwatch.classroom.counts.GroupCount;
import dev.stallwatch.classroom.domain.LevelEntry;
import dev.stallwatch.classroom.domain.StudentRow;
import dev.stallwatch.classroom.domain.UserRow;
import dev.stallwatch.classroom.operations.OperationRows.AccountRow;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.LongStream;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.values.PCollection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * C6 ({@link Registrations}) against {@code RegistrationModel} on 15 seeded inputs of 150 rows
 * each ({@link OperationRows#registrations}), shuffled, in batch ({@code Create}) and in streaming
 * (a {@code TestStream} in random batches with the watermark moving forward in between, rows stamped
 * with their update times): for every group in the output its row of the highest revision has the
 * model's count (0 when the model has none), revisions are 1..n, and every group the model counts is
 * there. The 15 inputs run in one pipeline (each seed registers on its own day, so its groups are
 * apart) and are checked one by one.
 *
 * <p>No mutation check: the broken variant of {@code RetractingCount} without the −1 is package
 * private to {@code classroom.counts}, and {@link Registrations} builds its {@code RetractingCount}
 * inside with no way to swap it; {@link #theCheckCatchesAWrongCount} shows instead that the check
 * fails on outputs that differ from the model's.
 */
@ExtendWith(TestPipelineExtension.class)
class RegistrationsPropertyTest {
  private static final List<Long> SEEDS = LongStream.rangeClosed(1, 8).boxed().toList();
  private static final int ROWS = 150;

  private static List<AccountRow> all() {
    List<AccountRow> rows = new ArrayList<>();
    for (long seed : SEEDS) {
      rows.addAll(OperationRows.registrations(seed, ROWS));
    }
    return rows;
  }

  private static List<String> failingSeeds(Iterable<GroupCount> output) {
    List<String> failing = new ArrayList<>();
    for (long seed : SEEDS) {
      Map<String, Long> expected = OperationRows.registrationModel(OperationRows.registrations(seed, ROWS));
      String prefix = OperationRows.hourPrefix(seed);
      List<String> faults = OperationRows.violations(expected, output, g -> g.startsWith(prefix));
      if (!faults.isEmpty()) {
        failing.add("seed " + seed + ": " + faults.size() + " faults: " + faults.subList(0, Math.min(5, faults.size())));
      }
    }
    return failing;
  }

  private static void assertEverySeedHolds(PCollection<GroupCount> out) {
    PAssert.that(out)
        .satisfies(
            rows -> {
              List<String> failing = failingSeeds(rows);
              assertTrue(failing.isEmpty(), String.join("\n", failing));
              return null;
            });
  }

  @Test
  void theInputsHoldEveryCaseTheSourcesSend() {
    int duplicates = 0, olderLater = 0, tiedTimes = 0, levelMoves = 0, untimedUsers = 0, counted = 0, groups = 0, others = 0, noUser = 0;
    for (long seed : SEEDS) {
      List<AccountRow> rows = OperationRows.registrations(seed, ROWS);
      Set<AccountRow> seen = new HashSet<>();
      Map<String, Long> newestTime = new HashMap<>();
      Map<String, Set<String>> buckets = new HashMap<>();
      Map<String, Map<Long, Long>> arrivalsPerId = new HashMap<>();
      Set<String> users = new HashSet<>();
      Set<String> students = new HashSet<>();
      for (AccountRow r : rows) {
        String key;
        long time;
        long arrival;
        if (r.student() != null) {
          StudentRow s = r.student();
          key = "s:" + s.id();
          time = s.updateTime();
          arrival = s.arrival();
          students.add(s.id());
        } else if (r.user() != null) {
          UserRow u = r.user();
          key = "u:" + u.id();
          time = u.updateTime() == null ? Long.MIN_VALUE : u.updateTime();
          arrival = u.arrival();
          users.add(u.id());
          if (u.updateTime() == null) {
            untimedUsers++;
          }
        } else {
          LevelEntry e = r.level();
          key = "l:" + e.id();
          time = e.updateTime();
          arrival = e.arrival();
          buckets.computeIfAbsent(e.id(), k -> new HashSet<>()).add(e.bucket());
        }
        if (!seen.add(new AccountRow(r.student(), r.user(), r.level(), 0))) {
          duplicates++;
          continue;
        }
        // arrivals are consistent: one id's distinct rows in a topic never share an arrival, and grow in send order
        Map<Long, Long> arrivals = arrivalsPerId.computeIfAbsent(key, k -> new TreeMap<>());
        assertFalse(arrivals.containsKey(arrival), "two rows of " + key + " at arrival " + arrival);
        for (long a : arrivals.keySet()) {
          assertTrue(a < arrival, key + ": arrival " + arrival + " sent after " + a);
        }
        arrivals.put(arrival, time);
        Long newest = newestTime.get(key);
        if (newest != null && time < newest) {
          olderLater++;
        } else if (newest != null && time == newest && time != Long.MIN_VALUE) {
          tiedTimes++;
        }
        if (newest == null || time > newest) {
          newestTime.put(key, time);
        }
      }
      for (Set<String> b : buckets.values()) {
        if (b.size() > 1) {
          levelMoves++;
        }
      }
      Map<String, Long> model = OperationRows.registrationModel(rows);
      groups += model.size();
      for (Map.Entry<String, Long> e : model.entrySet()) {
        counted += e.getValue();
        if (e.getKey().endsWith("_other")) {
          others++;
        }
      }
      for (String s : students) {
        if (!users.contains(s)) {
          noUser++;
        }
      }
    }
    String summary = duplicates + " duplicates, " + olderLater + " older sent later, " + tiedTimes + " tied times, " + levelMoves
        + " channels changing bucket, " + untimedUsers + " untimed user rows, " + counted + " counted students in " + groups
        + " groups (" + others + " other), " + noUser + " students without user row";
    System.out.println("C6 inputs: " + summary);
    assertTrue(
        duplicates > 60 && olderLater > 60 && tiedTimes > 30 && levelMoves > 20 && untimedUsers > 150 && counted > 50
            && groups > 35 && others > 10 && noUser > 15,
        summary);
  }

  @Test
  void theCheckCatchesAWrongCount() {
    Map<String, Long> expected = OperationRows.registrationModel(OperationRows.registrations(1, ROWS));
    List<GroupCount> right = new ArrayList<>();
    expected.forEach((g, n) -> right.add(new GroupCount(g, n, 1)));
    assertTrue(OperationRows.violations(expected, right, g -> true).isEmpty());
    String first = expected.keySet().iterator().next();
    List<GroupCount> oneOff = new ArrayList<>(right);
    oneOff.add(new GroupCount(first, expected.get(first) + 1, 2));
    assertFalse(OperationRows.violations(expected, oneOff, g -> true).isEmpty(), "a count one too high");
    List<GroupCount> missing = new ArrayList<>(right.subList(1, right.size()));
    assertFalse(OperationRows.violations(expected, missing, g -> true).isEmpty(), "a group missing");
    List<GroupCount> notZero = new ArrayList<>(right);
    notZero.add(new GroupCount("20240402"+ "00_A", 1, 1));
    assertFalse(OperationRows.violations(expected, notZero, g -> true).isEmpty(), "a group the model lacks left above 0");
  }

  @Test
  void inBatchEveryGroupEndsAtTheModelsCount(TestPipeline pipeline) {
    OperationRows.fast(pipeline);
    PCollection<AccountRow> rows =
        OperationRows.batch(pipeline, "Rows", all(), AccountRow::stamp, OperationRows.AccountRowCoder.INSTANCE, 99);
    assertEverySeedHolds(OperationRows.split(rows).apply(Registrations.of(OperationRows.FILTER, "Asia/Shanghai", null)));
    pipeline.run().waitUntilFinish();
  }

  @Test
  void inStreamingInAnyOrderEveryGroupEndsAtTheModelsCount(TestPipeline pipeline) {
    OperationRows.fast(pipeline);
    PCollection<AccountRow> rows =
        pipeline.apply(OperationRows.stream(all(), AccountRow::stamp, OperationRows.AccountRowCoder.INSTANCE, 7));
    assertEverySeedHolds(OperationRows.split(rows).apply(Registrations.of(OperationRows.FILTER, "Asia/Shanghai", null)));
    pipeline.run().waitUntilFinish();
  }
}
