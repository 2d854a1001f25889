package dev.stallwatch.classroom.counts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.LongStream;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.values.PCollection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The property of {@link RetractingCount} ({@link CountUpdates}) on 14 seeded sequences, 8 in
 * batch and 6 in streaming (a {@code TestStream} of the updates in random order in 6 steps, the
 * watermark moving in between), the expected counts from {@link RetractingCountModel}; and the
 * proof that the property catches the naive port: without the −1 it fails (on 2 sequences). The
 * sequences of a test run in one pipeline (their ids and groups apart by prefix) and are checked
 * one by one.
 *
 * <p>Speed: the direct runner pays a bundle per key of a stateful {@code DoFn}, so the cost grows
 * with the number of ids and groups (times the steps of a stream); hence these few sequences (more
 * can run on Flink from pipeline's tests), and the runner's immutability and encodability checks
 * are off here (the coders are tested in {@link RetractingCountTest}).
 */
@ExtendWith(TestPipelineExtension.class)
class RetractingCountPropertyTest {
  private static final List<Long> SEEDS = LongStream.rangeClosed(1, 20).boxed().toList();
  private static final List<Long> BATCH_SEEDS = List.copyOf(SEEDS.subList(0, 8));
  private static final List<Long> STREAMING_SEEDS = List.copyOf(SEEDS.subList(8, 14));
  private static final List<Long> MUTATION_SEEDS = List.copyOf(SEEDS.subList(0, 2));

  private static void lean(TestPipeline pipeline) {
    DirectOptions options = pipeline.getOptions().as(DirectOptions.class);
    options.setEnforceImmutability(false);
    options.setEnforceEncodability(false);
  }

  @Test
  void theSequencesHoldEveryCaseTheSourcesSend() {
    int duplicates = 0, older = 0, tiedVersions = 0, toNone = 0, moves = 0, endAtZero = 0;
    for (long seed : SEEDS) {
      List<CountUpdate> updates = CountUpdates.generate(seed);
      Set<CountUpdate> seen = new HashSet<>();
      Map<String, CountUpdate> newest = new HashMap<>();
      Set<String> touched = new HashSet<>();
      for (CountUpdate u : updates) {
        if (!seen.add(u)) {
          duplicates++;
          continue;
        }
        if (u.group() != null) {
          touched.add(u.group());
        }
        CountUpdate n = newest.get(u.id());
        if (n != null && u.version() < n.version()) {
          older++;
        } else {
          if (n != null && u.version() == n.version() && u.arrival() != n.arrival()) {
            tiedVersions++;
          }
          if (n != null && n.group() != null && u.group() == null) {
            toNone++;
          }
          if (n != null && n.group() != null && u.group() != null && !n.group().equals(u.group())) {
            moves++;
          }
          newest.put(u.id(), u);
        }
      }
      Map<String, Long> counts = RetractingCountModel.finalCounts(updates);
      for (String g : touched) {
        if (!counts.containsKey(g)) {
          endAtZero++;
        }
      }
      assertEquals(300, updates.size());
    }
    String summary = duplicates + " duplicates, " + older + " older, " + tiedVersions + " tied versions, " + toNone + " to none, "
        + moves + " moves, " + endAtZero + " groups at 0";
    assertTrue(duplicates > 100 && older > 100 && tiedVersions > 20 && toNone > 100 && moves > 100 && endAtZero > 0, summary);
  }

  @Test
  void inBatchEveryGroupEndsAtTheModelsCount(TestPipeline pipeline) {
    lean(pipeline);
    PCollection<GroupCount> out =
        CountUpdates.batchInput(pipeline, CountUpdates.generateAll(BATCH_SEEDS)).apply(RetractingCount.create("p_"));
    CountUpdates.assertPropertyForSeeds(out, BATCH_SEEDS);
    pipeline.run().waitUntilFinish();
  }

  @Test
  void inStreamingInAnyOrderEveryGroupEndsAtTheModelsCount(TestPipeline pipeline) {
    lean(pipeline);
    PCollection<GroupCount> out =
        pipeline.apply(CountUpdates.stream(CountUpdates.generateAll(STREAMING_SEEDS), 42, 6)).apply(RetractingCount.create("p_"));
    CountUpdates.assertPropertyForSeeds(out, STREAMING_SEEDS);
    pipeline.run().waitUntilFinish();
  }

  @Test
  void withoutTheRetractionThePropertyFails(TestPipeline pipeline) {
    lean(pipeline);
    PCollection<GroupCount> out =
        CountUpdates.batchInput(pipeline, CountUpdates.generateAll(MUTATION_SEEDS))
            .apply(RetractingCount.create("m_").withoutRetractionForTesting());
    PAssert.that(out)
        .satisfies(
            rows -> {
              List<String> failing = CountUpdates.failingSeeds(MUTATION_SEEDS, rows);
              System.out.println("without the -1, " + failing.size() + " of " + MUTATION_SEEDS.size() + " seeds fail the property");
              assertTrue(failing.size() >= 1, "the property did not catch the missing -1");
              return null;
            });
    pipeline.run().waitUntilFinish();
  }
}
