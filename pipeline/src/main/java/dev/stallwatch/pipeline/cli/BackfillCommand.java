package dev.stallwatch.pipeline.cli;

import dev.stallwatch.domain.Blacklist;
import dev.stallwatch.domain.ChannelNames;
import dev.stallwatch.pipeline.config.JobConfig;
import dev.stallwatch.pipeline.files.DimensionFiles;
import dev.stallwatch.pipeline.files.DumpFiles;
import dev.stallwatch.pipeline.files.OutputDirectory;
import dev.stallwatch.pipeline.options.BackfillOptions;
import dev.stallwatch.pipeline.stall.BackfillJob;
import dev.stallwatch.pipeline.stall.Summary;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptions;

/** {@code stallwatch backfill}: the alerts of a dump, in batch. */
final class BackfillCommand extends StallWatch.OwnCommand {
  BackfillCommand(StallWatch cli) {
    super(cli, "backfill");
  }

  @Override
  public String summary() {
    return "compute the alerts of a dump (.csv or .jsonl, optionally .gz) in batch";
  }

  @Override
  public Class<? extends PipelineOptions> options() {
    return BackfillOptions.class;
  }

  @Override
  public int run(String[] args, PrintStream out, PrintStream err) {
    BackfillOptions options = parse(args, BackfillOptions.class, List.of()).options();
    check(options);
    if (BackfillJob.Engine.of(options.getEngine()) == null) {
      throw new UsageException("--engine: must be sorted or windows, not '" + options.getEngine() + "'");
    }
    JobConfig config = JobConfig.from(options);
    List<Path> dumps = DumpFiles.check(options.getInput());
    Blacklist blacklist = DimensionFiles.blacklist(options);
    ChannelNames channels = DimensionFiles.channels(options);
    int removed = OutputDirectory.prepare(options.getOutput(), options.getInput(), dumps);
    if (removed > 0) {
      err.printf("stallwatch backfill: replaced %d output file(s) of an earlier run in %s%n", removed, options.getOutput());
    }
    options.setJobName("stallwatch-backfill");
    String runner = options.getRunner().getSimpleName();
    err.printf("stallwatch backfill: %d file(s) on %s, output %s%n", dumps.size(), runner, options.getOutput());
    long start = System.nanoTime();
    PipelineResult result;
    try (Progress progress = options.getQuiet() ? null : Progress.start("backfill", err, Progress.totalBytes(dumps), Progress.elsewhere(args))) {
      result = BackfillJob.create(options, config.stall(), blacklist, channels).run();
      result.waitUntilFinish();
      BackfillJob.completeOutputs(options.getOutput());
      OutputDirectory.removeEmptyTemp(options.getOutput());
    } catch (Exception e) { // Spark's (Scala's) checked exceptions escape undeclared
      err.println("stallwatch backfill: the job failed: " + StallWatch.rootMessage(e));
      return StallWatch.FAILED;
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    Summary summary = Summary.of(result, config.stall());
    if (options.getJsonSummary()) {
      out.println(summary.json());
    } else {
      out.printf("StallWatch backfill finished in %.1f s on %s%n", seconds, runner);
      out.print(summary.table());
      out.printf("  %-32s %s%n", "output", Path.of(options.getOutput()).resolve("alerts*.jsonl, dead-letter*.jsonl"));
    }
    return StallWatch.OK;
  }
}
