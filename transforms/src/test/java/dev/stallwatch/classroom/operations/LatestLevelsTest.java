package dev.stallwatch.classroom.operations;

import static dev.stallwatch.classroom.operations.OperationRows.at;

import dev.stallwatch.classroom.domain.LevelEntry;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TimestampedValue;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * C2's {@link LatestLevels}: of one id's dictionary rows, met in the order written (TestStream
 * steps), only those newer than every row before them pass; an older update sent later and a
 * replay are dropped, an equal update time with a later arrival passes, other ids are apart.
 */
@ExtendWith(TestPipelineExtension.class)
class LatestLevelsTest {
  private static final long T1 = at("2024-03-20T10:00:00");
  private static final long T2 = at("2024-03-20T11:00:00");

  private static TimestampedValue<LevelEntry> row(String id, String level, long updateTime, long arrival) {
    return TimestampedValue.of(LevelEntry.of(id, "频道", "channel", level, null, null, updateTime, null, arrival), new Instant(updateTime));
  }

  @Test
  void onlyRowsNewerThanEveryEarlierOneOfTheirIdPass(TestPipeline pipeline) {
    TestStream<LevelEntry> stream =
        TestStream.create(LevelEntry.LevelEntryCoder.of())
            .addElements(row("ch1", "A", T2, 1))
            .addElements(row("ch1", "C", T1, 2)) // older update_time, sent later: dropped
            .addElements(row("ch1", "A", T2, 1)) // a replay: dropped
            .addElements(row("ch1", "B", T2, 3)) // the same update_time, a later offset: the latest
            .addElements(row("ch1", "D", T2, 2)) // the same update_time, an earlier offset: dropped
            .addElements(row("ch2", "C", T1, 4)) // another id: its first row
            .advanceWatermarkToInfinity();
    PCollection<String> out =
        pipeline
            .apply(stream)
            .apply(LatestLevels.create())
            .apply(MapElements.into(TypeDescriptors.strings()).via((LevelEntry e) -> e.id() + " " + e.level() + " " + e.arrival()));
    PAssert.that(out).containsInAnyOrder("ch1 A 1", "ch1 B 3", "ch2 C 4");
    pipeline.run().waitUntilFinish();
  }
}
