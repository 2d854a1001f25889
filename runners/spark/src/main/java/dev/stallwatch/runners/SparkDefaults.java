package dev.stallwatch.runners;

import dev.stallwatch.pipeline.cli.LaunchDefault;
import dev.stallwatch.pipeline.cli.UsageException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.beam.runners.spark.SparkPipelineOptions;
import org.apache.beam.runners.spark.SparkRunner;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * The Spark jar's defaults: the bundled jar's ({@link RunnerDefaults#backfill}), with the Spark
 * master, which the bundled jar only describes, decided here: {@code local[N]}, N the cores.
 */
final class SparkDefaults {
  /**
   * The masters this jar can reach: Spark in this JVM ({@code local}, {@code local[N]}, {@code
   * local[*]}, with a number of task retries after a comma) or a standalone cluster's masters. YARN,
   * Kubernetes and Mesos need Spark modules this jar does not hold.
   */
  private static final Pattern MASTER =
      Pattern.compile("local(\\[(\\d+|\\*)(\\s*,\\s*\\d+)?])?|spark://[^:/,\\s]+:\\d+(,[^:/,\\s]+:\\d+)*");

  private SparkDefaults() {}

  static boolean onSpark(PipelineOptions o) {
    return SparkRunner.class.isAssignableFrom(o.getRunner());
  }

  static String localMaster() {
    return "local[" + Runtime.getRuntime().availableProcessors() + "]";
  }

  static List<LaunchDefault> backfill() {
    List<LaunchDefault> defaults = new ArrayList<>();
    for (LaunchDefault d : RunnerDefaults.backfill()) {
      if (d.option().equals(RunnerDefaults.SPARK_MASTER)) {
        d =
            LaunchDefault.of(d.option(), d.shown(), o -> o.as(SparkPipelineOptions.class).setSparkMaster(localMaster()))
                .when(SparkDefaults::onSpark)
                .described(d.placeholder(), d.description());
      }
      defaults.add(d);
    }
    return defaults;
  }

  /**
   * A master Spark cannot parse fails deep in its context's start-up with a stack trace; refuse it
   * first, in one line.
   */
  static void checkMaster(PipelineOptions o) {
    if (!onSpark(o)) {
      return;
    }
    String master = o.as(SparkPipelineOptions.class).getSparkMaster();
    if (master == null || !MASTER.matcher(master).matches()) {
      throw new UsageException(
          "--sparkMaster: must be local, local[N], local[*] or spark://HOST:PORT (a standalone cluster), not '"
              + master + "'");
    }
  }
}
