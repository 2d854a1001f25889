package dev.stallwatch.pipeline.cli;

import dev.stallwatch.pipeline.classroom.ClassroomBackfillJob;
import dev.stallwatch.pipeline.classroom.ClassroomConfig;
import dev.stallwatch.pipeline.classroom.ClassroomSummary;
import dev.stallwatch.pipeline.classroom.ClassroomTopics;
import dev.stallwatch.pipeline.files.TopicDumps;
import dev.stallwatch.pipeline.options.ClassroomBackfillOptions;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptions;

/** {@code stallwatch classroom backfill}: the four classroom jobs over a directory of dumps, in batch. */
final class ClassroomBackfillCommand extends StallWatch.OwnCommand {
  ClassroomBackfillCommand(StallWatch cli) {
    super(cli, "classroom backfill");
  }

  @Override
  public String summary() {
    return "the classroom jobs over one .jsonl[.gz] dump per input topic, in batch";
  }

  @Override
  public Class<? extends PipelineOptions> options() {
    return ClassroomBackfillOptions.class;
  }

  @Override
  public int run(String[] args, PrintStream out, PrintStream err) {
    ClassroomBackfillOptions options = parse(args, ClassroomBackfillOptions.class, List.of()).options();
    check(options);
    ClassroomConfig config = ClassroomConfig.from(options);
    Map<String, List<Path>> dumps = TopicDumps.check("--input", options.getInput(), ClassroomTopics.INPUTS);
    int removed = ClassroomBackfillJob.prepareOutput(options.getOutput(), options.getInput());
    if (removed > 0) {
      err.printf("stallwatch classroom backfill: replaced %d output file(s) of an earlier run in %s%n", removed, options.getOutput());
    }
    options.setJobName("stallwatch-classroom-backfill");
    String runner = options.getRunner().getSimpleName();
    StringBuilder read = new StringBuilder();
    dumps.forEach((topic, files) -> read.append(read.length() == 0 ? "" : ", ").append(topic).append(' ').append(files.size()));
    err.printf("stallwatch classroom backfill: dumps %s on %s, output %s%n", read, runner, options.getOutput());
    long start = System.nanoTime();
    PipelineResult result;
    try {
      result = ClassroomBackfillJob.create(options, config, dumps, options.getOutput()).run();
      result.waitUntilFinish();
    } catch (Exception e) { // Spark's (Scala's) checked exceptions escape undeclared
      err.println("stallwatch classroom backfill: the job failed: " + StallWatch.rootMessage(e));
      return StallWatch.FAILED;
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    ClassroomSummary summary = ClassroomSummary.of(result);
    if (options.getJsonSummary()) {
      out.println(summary.json());
    } else {
      out.printf("StallWatch classroom backfill finished in %.1f s on %s%n", seconds, runner);
      out.print(summary.table());
      out.printf("  %-32s %s%n", "output", Path.of(options.getOutput()).resolve("*.jsonl"));
    }
    return StallWatch.OK;
  }
}
