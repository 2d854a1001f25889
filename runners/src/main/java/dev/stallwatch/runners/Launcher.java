package dev.stallwatch.runners;

import dev.stallwatch.bench.Bench;
import dev.stallwatch.bench.ClassroomBench;
import dev.stallwatch.embedded.EmbeddedClassroomRun;
import dev.stallwatch.embedded.EmbeddedStallRun;
import dev.stallwatch.pipeline.cli.StallWatch;

/**
 * The bundled jar's entry point: the pipeline's commands with this jar's runner defaults, the
 * embedded default of {@code run}, and {@code bench}, which needs both runners.
 */
public final class Launcher {
  private Launcher() {}

  /** The command line as the bundled jar configures it. */
  public static StallWatch commandLine(java.io.PrintStream out, java.io.PrintStream err) {
    return new StallWatch(out, err)
        .withDefaults("backfill", RunnerDefaults.backfill())
        .withDefaults("report", RunnerDefaults.backfill())
        .withDefaults("classroom backfill", RunnerDefaults.backfill())
        .withDefaults("run", RunnerDefaults.run())
        .withCheck("run", RunnerDefaults::checkExactlyOnce)
        .withCheck("run", IncrementalRocksDb::apply)
        .withDefaults("classroom run", RunnerDefaults.run())
        .withCheck("classroom run", RunnerDefaults::checkExactlyOnce)
        .withCheck("classroom run", IncrementalRocksDb::apply)
        .withClassroomEmbeddedDefault(new EmbeddedClassroomRun(RunnerDefaults.embedded()))
        .withEmbeddedDefault(new EmbeddedStallRun(RunnerDefaults.embedded()))
        .with("bench", new Bench())
        .withClassroom("bench", new ClassroomBench());
  }

  public static void main(String[] args) {
    System.exit(commandLine(System.out, System.err).run(args));
  }
}
