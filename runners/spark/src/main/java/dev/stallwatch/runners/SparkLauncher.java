package dev.stallwatch.runners;

import dev.stallwatch.pipeline.cli.StallWatch;
import java.io.PrintStream;

/**
 * The Spark jar's entry point ({@code runners/target/stallwatch-spark.jar}): the pipeline's
 * commands with the backfill's defaults for Spark. The launcher runs it for a command line with
 * {@code --runner=SparkRunner}; {@code run} and {@code bench} are the bundled jar's.
 */
public final class SparkLauncher {
  private SparkLauncher() {}

  /** The command line as the Spark jar configures it. */
  public static StallWatch commandLine(PrintStream out, PrintStream err) {
    return new StallWatch(out, err)
        .withDefaults("backfill", SparkDefaults.backfill())
        .withCheck("backfill", SparkDefaults::checkMaster);
  }

  public static void main(String[] args) {
    System.exit(commandLine(System.out, System.err).run(args));
  }
}
