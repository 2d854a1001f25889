package dev.stallwatch.runners;

import dev.stallwatch.pipeline.cli.LaunchDefault;
import dev.stallwatch.pipeline.cli.UsageException;
import dev.stallwatch.pipeline.options.RunOptions;
import dev.stallwatch.pipeline.options.SubmitOptions;
import java.util.List;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.flink.FlinkRunner;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * What the bundled jar's commands run on unless told otherwise, decided here once and shown by
 * {@code --help} from here: {@code backfill} and {@code generate} on the direct runner without its
 * test-time checks, {@code run} on the embedded Flink with checkpointing on. The backfill on Spark
 * runs from the Spark jar (runners/spark), which decides the Spark master described here.
 */
final class RunnerDefaults {
  static final String SPARK_MASTER = "sparkMaster";

  private RunnerDefaults() {}

  static boolean onFlink(PipelineOptions o) {
    return FlinkRunner.class.isAssignableFrom(o.getRunner());
  }

  static boolean onDirect(PipelineOptions o) {
    return DirectRunner.class.isAssignableFrom(o.getRunner());
  }

  /**
   * The direct runner re-encodes and compares every element to catch mutation bugs in tests; a
   * backfill on it turns those checks off. On Spark it runs in this JVM on every core unless given
   * a master: the Spark jar applies that ({@code SparkDefaults}); this jar, which has no Spark, only
   * shows it.
   */
  static List<LaunchDefault> backfill() {
    return List.of(
        LaunchDefault.of("runner", "DirectRunner", o -> o.setRunner(DirectRunner.class)),
        LaunchDefault.of("enforceImmutability", "false", o -> o.as(DirectOptions.class).setEnforceImmutability(false))
            .when(RunnerDefaults::onDirect),
        LaunchDefault.of("enforceEncodability", "false", o -> o.as(DirectOptions.class).setEnforceEncodability(false))
            .when(RunnerDefaults::onDirect),
        LaunchDefault.leftToRunner(
            SPARK_MASTER, "local[N] on Spark, N = the cores", "MASTER",
            "The Spark master for --runner=SparkRunner (which runners/stallwatch runs from the Spark jar):"
                + " local[N] in this JVM, or spark://HOST:PORT of a standalone cluster"));
  }

  /** The streaming job: Flink, checkpoints every 10 s, small bundles and frequent watermarks. */
  static List<LaunchDefault> run() {
    return List.of(
        LaunchDefault.of("runner", "FlinkRunner", o -> o.setRunner(FlinkRunner.class)),
        LaunchDefault.leftToRunner(
            "flinkMaster", "[auto]: an embedded Flink mini-cluster", "HOST:PORT",
            "The Flink cluster the job is submitted to (FlinkRunner)"),
        LaunchDefault.leftToRunner(
            "parallelism", "the embedded cluster's cores", "N", "Parallelism of the job's operators (FlinkRunner)"),
        LaunchDefault.leftToRunner(
            "stateBackend", "the cluster's (the heap); embedded: filesystem", "rocksdb|filesystem",
            "Flink state backend: rocksdb (incremental checkpoints) or filesystem (the heap, full checkpoints);"
                + " checkpoints go to --stateBackendStoragePath, else the cluster's state.checkpoints.dir"),
        LaunchDefault.of("checkpointingInterval", "10000 on Flink", o -> flink(o).setCheckpointingInterval(10_000L))
            .when(RunnerDefaults::onFlink)
            .described("MILLIS", "Milliseconds between Flink checkpoints; below 1 turns checkpointing off"),
        LaunchDefault.of("maxBundleTimeMills", "200 on Flink", o -> flink(o).setMaxBundleTimeMills(200L))
            .when(RunnerDefaults::onFlink)
            .described("MILLIS", "Longest a bundle is held before its output moves on (FlinkRunner)"),
        LaunchDefault.of("autoWatermarkInterval", "100 on Flink", o -> flink(o).setAutoWatermarkInterval(100L))
            .when(RunnerDefaults::onFlink)
            .described("MILLIS", "Milliseconds between the source's watermark emissions (FlinkRunner)"),
        // The command watches the job by its status, so submission never waits for a result that a
        // detached `flink run -d` cannot give (Beam's attached mode asks for the job's runtime).
        LaunchDefault.of("attachedMode", "false on Flink", o -> flink(o).setAttachedMode(false))
            .when(RunnerDefaults::onFlink)
            .described("true|false", "Submit and wait for the job's result (Beam's attached mode; FlinkRunner)"),
        LaunchDefault.of("detached", "false; true under `flink run -d`", o -> o.as(SubmitOptions.class).setDetached(true))
            .when(o -> onFlink(o) && FlinkCli.detached()));
  }

  /**
   * The embedded default's job does not block the launching thread: it watches the topics while
   * the job runs, and cancels it at the end (on Flink, {@code attachedMode=false} of {@link #run}
   * does the same).
   */
  static List<LaunchDefault> embedded() {
    return List.of(
        LaunchDefault.of("blockOnRun", "false", o -> o.as(DirectOptions.class).setBlockOnRun(false))
            .when(RunnerDefaults::onDirect));
  }

  /** Exactly-once route topics wait for checkpoints: on Flink without them nothing would be written. */
  static void checkExactlyOnce(PipelineOptions o) {
    Long interval = flink(o).getCheckpointingInterval();
    if (o.as(RunOptions.class).getExactlyOnce() && onFlink(o) && (interval == null || interval < 1)) {
      throw new UsageException(
          "--exactlyOnce needs checkpointing on Flink (the route topics' transactions wait for checkpoints):"
              + " give --checkpointingInterval=MILLIS, or --exactlyOnce=false");
    }
  }

  private static FlinkPipelineOptions flink(PipelineOptions o) {
    return o.as(FlinkPipelineOptions.class);
  }
}
