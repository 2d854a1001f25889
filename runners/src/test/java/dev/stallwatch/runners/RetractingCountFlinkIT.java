package dev.stallwatch.runners;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.stallwatch.classroom.counts.CountUpdate;
import dev.stallwatch.classroom.counts.CountUpdates;
import dev.stallwatch.classroom.counts.GroupCount;
import dev.stallwatch.classroom.counts.RetractingCount;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.values.PCollection;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The property of the counts that move both ways on the real Flink runner (embedded mini-cluster,
 * parallelism 2), in batch and in streaming mode: over random update sequences (status flips,
 * group changes, out-of-order versions, duplicates, deletes; {@link CountUpdates}), shuffled, the
 * last count {@link RetractingCount} emits for each group equals the plain-Java model's, and every
 * group the model counts is there. The same property runs on the direct runner in transforms'
 * {@code RetractingCountPropertyTest}; Flink adds a real shuffle between the two keyed stages.
 */
class RetractingCountFlinkIT {
  private static final List<Long> SEEDS = LongStream.rangeClosed(101, 112).boxed().toList();

  @ParameterizedTest(name = "streaming {0}")
  @ValueSource(booleans = {false, true})
  void theLastCountOfEveryGroupIsTheModels(boolean streaming) {
    List<CountUpdate> updates = new java.util.ArrayList<>(CountUpdates.generateAll(SEEDS));
    Collections.shuffle(updates, new Random(streaming ? 2 : 1));
    FlinkPipelineOptions options =
        PipelineOptionsFactory.fromArgs("--runner=FlinkRunner", "--parallelism=2").as(FlinkPipelineOptions.class);
    options.setStreaming(streaming);
    Pipeline pipeline = Pipeline.create(options);
    PCollection<GroupCount> counts = CountUpdates.batchInput(pipeline, updates).apply("Counts", RetractingCount.create("it."));
    CountUpdates.assertPropertyForSeeds(counts, SEEDS);
    assertEquals(PipelineResult.State.DONE, pipeline.run().waitUntilFinish());
  }
}
