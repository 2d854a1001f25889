package dev.stallwatch.classroom.operations;

import static dev.stallwatch.classroom.operations.OperationRows.at;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.stallwatch.classroom.counts.GroupCount;
import dev.stallwatch.classroom.domain.LevelEntry;
import dev.stallwatch.classroom.domain.StudentRow;
import dev.stallwatch.classroom.domain.UserRow;
import dev.stallwatch.classroom.operations.OperationRows.AccountRow;
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
 * C6 ({@link Registrations}) on hand-written cases, the expected counts written out. Each case is
 * a {@code TestStream} of steps (the direct runner finishes a step before the next), so the order
 * in which the rows are met is the order written, and a group that a student left has a row of 0.
 * A group's final count is its row of the highest revision. Hours in Asia/Shanghai: a registration
 * at 09:15 local counts in {@code 2024032009}.
 */
@ExtendWith(TestPipelineExtension.class)
class RegistrationsTest {
  private static final long REGISTERED = at("2024-03-20T09:15:00");
  private static final long T1 = at("2024-03-20T10:00:00");
  private static final long T2 = at("2024-03-20T11:00:00");
  private static final long T3 = at("2024-03-20T12:00:00");

  private static AccountRow student(String id, String channel, long updateTime, long arrival) {
    return AccountRow.of(new StudentRow(id, channel, updateTime, arrival));
  }

  private static AccountRow user(String id, String name, String status, long arrival) {
    return AccountRow.of(new UserRow(id, name, REGISTERED, status, arrival), T1);
  }

  private static AccountRow level(String channel, String level, long updateTime, long arrival) {
    return AccountRow.of(LevelEntry.of(channel, "频道", "channel", level, null, null, updateTime, null, arrival));
  }

  private static final AccountRow CH1_A = level("ch1", "A", T1, 1);
  private static final AccountRow CH2_B = level("ch2", "B", T1, 2);

  /** The counts of the rows sent in these steps, one step after the other. */
  @SafeVarargs
  private static PCollection<GroupCount> run(TestPipeline pipeline, List<AccountRow>... steps) {
    TestStream.Builder<AccountRow> stream = TestStream.create(OperationRows.AccountRowCoder.INSTANCE);
    for (List<AccountRow> step : steps) {
      @SuppressWarnings("unchecked")
      TimestampedValue<AccountRow>[] values = new TimestampedValue[step.size()];
      for (int i = 0; i < values.length; i++) {
        values[i] = TimestampedValue.of(step.get(i), new Instant(step.get(i).stamp()));
      }
      stream = stream.addElements(values[0], Arrays.copyOfRange(values, 1, values.length));
    }
    PCollection<AccountRow> rows = pipeline.apply(stream.advanceWatermarkToInfinity());
    return OperationRows.split(rows).apply(Registrations.of(OperationRows.FILTER, "Asia/Shanghai", null));
  }

  private static void assertFinal(PCollection<GroupCount> out, Map<String, Long> expected) {
    PAssert.that(out)
        .satisfies(
            rows -> {
              assertEquals(expected, OperationRows.finals(rows), "final counts of " + rows);
              return null;
            });
  }

  @Test
  void aStudentWithANormalUserCountsInItsHourAndLevel(TestPipeline pipeline) {
    PCollection<GroupCount> out = run(pipeline, List.of(CH1_A), List.of(student("s1", "ch1", T1, 10), user("s1", "张三", "NORMAL", 20)));
    PAssert.that(out).containsInAnyOrder(new GroupCount("2024032009_A", 1, 1));
    pipeline.run().waitUntilFinish();
  }

  @Test
  void aChangeToALevelBChannelMovesTheStudent(TestPipeline pipeline) {
    PCollection<GroupCount> out =
        run(
            pipeline,
            List.of(CH1_A, CH2_B),
            List.of(student("s1", "ch1", T1, 10), user("s1", "张三", "NORMAL", 20)),
            List.of(student("s1", "ch2", T2, 11)));
    PAssert.that(out)
        .containsInAnyOrder(
            new GroupCount("2024032009_A", 1, 1), new GroupCount("2024032009_A", 0, 2), new GroupCount("2024032009_B", 1, 1));
    pipeline.run().waitUntilFinish();
  }

  @Test
  void aUserStatusOtherThanNormalTakesTheStudentOut(TestPipeline pipeline) {
    PCollection<GroupCount> out =
        run(
            pipeline,
            List.of(CH1_A, CH2_B),
            List.of(student("s1", "ch1", T1, 10), user("s1", "张三", "NORMAL", 20)),
            List.of(student("s1", "ch2", T2, 11)),
            // the user topic has no update_time: the later arrival is the latest row
            List.of(user("s1", "张三", "LOCKED", 21)));
    assertFinal(out, Map.of("2024032009_A", 0L, "2024032009_B", 0L));
    pipeline.run().waitUntilFinish();
  }

  @Test
  void aUserRowArrivingBeforeAnOlderOneStillWinsByArrival(TestPipeline pipeline) {
    // offsets 21 (NORMAL) and 20 (LOCKED): processed the other way round, 21 is still the latest
    PCollection<GroupCount> out =
        run(
            pipeline,
            List.of(CH1_A),
            List.of(student("s1", "ch1", T1, 10), user("s1", "张三", "NORMAL", 21)),
            List.of(user("s1", "张三", "LOCKED", 20)));
    PAssert.that(out).containsInAnyOrder(new GroupCount("2024032009_A", 1, 1));
    pipeline.run().waitUntilFinish();
  }

  @Test
  void testAccountsNeverCount(TestPipeline pipeline) {
    PCollection<GroupCount> out =
        run(
            pipeline,
            List.of(CH1_A),
            List.of(
                student("t1", "ch1", T1, 1), user("t1", "小明测试", "NORMAL", 1),
                student("t2", "ch1", T1, 2), user("t2", "MyTest01", "NORMAL", 2),
                student("t3", "ch1", T1, 3), user("t3", "DM__robot", "NORMAL", 3),
                student("t4", "ch1", T1, 4), user("t4", "dm__robot", "NORMAL", 4),
                student("t5", "ch1", T1, 5), user("t5", "contest", "NORMAL", 5),
                student("r1", "ch1", T1, 6), user("r1", "李四", "NORMAL", 6),
                // DM__ only as a prefix: inside the name it is no test account
                student("r2", "ch1", T1, 7), user("r2", "x_DM__", "NORMAL", 7)));
    assertFinal(out, Map.of("2024032009_A", 2L));
    pipeline.run().waitUntilFinish();
  }

  @Test
  void aTestAccountThatWasCountedLeavesItsGroup(TestPipeline pipeline) {
    PCollection<GroupCount> out =
        run(
            pipeline,
            List.of(CH1_A),
            List.of(student("s1", "ch1", T1, 10), user("s1", "张三", "NORMAL", 20)),
            List.of(user("s1", "张三test", "NORMAL", 21)));
    PAssert.that(out).containsInAnyOrder(new GroupCount("2024032009_A", 1, 1), new GroupCount("2024032009_A", 0, 2));
    pipeline.run().waitUntilFinish();
  }

  @Test
  void aStudentWithoutUserRowCountsNowhereUntilTheUserRowArrives(TestPipeline pipeline) {
    PCollection<GroupCount> out = run(pipeline, List.of(CH1_A), List.of(student("s1", "ch1", T1, 10)));
    PAssert.that(out).empty();
    pipeline.run().waitUntilFinish();
  }

  @Test
  void theUserRowArrivingLaterCountsTheStudentOnce(TestPipeline pipeline) {
    PCollection<GroupCount> out =
        run(pipeline, List.of(CH1_A), List.of(student("s1", "ch1", T1, 10)), List.of(user("s1", "张三", "NORMAL", 20)));
    // one row only: nothing was counted anywhere before the user row came
    PAssert.that(out).containsInAnyOrder(new GroupCount("2024032009_A", 1, 1));
    pipeline.run().waitUntilFinish();
  }

  @Test
  void aUserRowWithoutStudentRowCountsNowhereUntilTheStudentRowArrives(TestPipeline pipeline) {
    PCollection<GroupCount> out =
        run(pipeline, List.of(CH2_B), List.of(user("s1", "张三", "NORMAL", 20)), List.of(student("s1", "ch2", T1, 10)));
    PAssert.that(out).containsInAnyOrder(new GroupCount("2024032009_B", 1, 1));
    pipeline.run().waitUntilFinish();
  }

  @Test
  void aNewerDictionaryLevelMovesTheChannelsStudents(TestPipeline pipeline) {
    PCollection<GroupCount> out =
        run(
            pipeline,
            List.of(CH1_A),
            List.of(student("s1", "ch1", T1, 10), user("s1", "张三", "NORMAL", 20), student("s2", "ch1", T1, 11), user("s2", "李四", "NORMAL", 21)),
            List.of(level("ch1", "C", T2, 3)));
    assertFinal(out, Map.of("2024032009_A", 0L, "2024032009_C", 2L));
    pipeline.run().waitUntilFinish();
  }

  @Test
  void aStudentPlacedAfterTheLevelChangeCountsInTheNewLevel(TestPipeline pipeline) {
    PCollection<GroupCount> out =
        run(
            pipeline,
            List.of(CH1_A),
            List.of(level("ch1", "C", T2, 3)),
            List.of(student("s1", "ch1", T1, 10), user("s1", "张三", "NORMAL", 20)));
    PAssert.that(out).containsInAnyOrder(new GroupCount("2024032009_C", 1, 1));
    pipeline.run().waitUntilFinish();
  }

  @Test
  void anOlderDictionaryUpdateArrivingAfterANewerOneChangesNothing(TestPipeline pipeline) {
    PCollection<GroupCount> out =
        run(
            pipeline,
            List.of(level("ch1", "A", T2, 1)),
            List.of(student("s1", "ch1", T1, 10), user("s1", "张三", "NORMAL", 20)),
            // update_time T1 < T2, though sent later (offset 2)
            List.of(level("ch1", "C", T1, 2)));
    PAssert.that(out).containsInAnyOrder(new GroupCount("2024032009_A", 1, 1));
    pipeline.run().waitUntilFinish();
  }

  @Test
  void anOlderStudentRowArrivingAfterANewerOneChangesNothing(TestPipeline pipeline) {
    PCollection<GroupCount> out =
        run(
            pipeline,
            List.of(CH1_A, CH2_B),
            List.of(student("s1", "ch2", T2, 11), user("s1", "张三", "NORMAL", 20)),
            List.of(student("s1", "ch1", T1, 12)));
    PAssert.that(out).containsInAnyOrder(new GroupCount("2024032009_B", 1, 1));
    pipeline.run().waitUntilFinish();
  }

  @Test
  void anUnknownChannelAnOddLevelAndNoChannelAreOther(TestPipeline pipeline) {
    PCollection<GroupCount> out =
        run(
            pipeline,
            List.of(level("ch9", "E", T1, 1), level("ch8", " d ", T1, 2)),
            List.of(
                student("s1", "unknown-channel", T1, 10), user("s1", "张三", "NORMAL", 20),
                student("s2", "ch9", T1, 11), user("s2", "李四", "NORMAL", 21),
                student("s3", null, T1, 12), user("s3", "王五", "NORMAL", 22),
                student("s4", "ch8", T1, 13), user("s4", "Bob", "NORMAL", 23)));
    assertFinal(out, Map.of("2024032009_other", 3L, "2024032009_D", 1L));
    pipeline.run().waitUntilFinish();
  }

  @Test
  void theDictionaryRowArrivingAfterTheStudentMovesItOutOfOther(TestPipeline pipeline) {
    PCollection<GroupCount> out =
        run(pipeline, List.of(student("s1", "ch1", T1, 10), user("s1", "张三", "NORMAL", 20)), List.of(level("ch1", "A", T3, 1)));
    PAssert.that(out)
        .containsInAnyOrder(
            new GroupCount("2024032009_other", 1, 1), new GroupCount("2024032009_other", 0, 2), new GroupCount("2024032009_A", 1, 1));
    pipeline.run().waitUntilFinish();
  }
}
