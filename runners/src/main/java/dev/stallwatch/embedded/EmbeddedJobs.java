package dev.stallwatch.embedded;

import java.io.PrintStream;
import org.apache.beam.sdk.PipelineResult;

/** What the embedded defaults of both families do alike with their job. */
final class EmbeddedJobs {
  private EmbeddedJobs() {}

  /**
   * Waits (two minutes at most) until {@code job} runs, telling on {@code err}, after {@code
   * prefix}, how far ahead of the replay's start ({@code replayStartsAt}, wall ms) it came up.
   *
   * @throws IllegalStateException when the job stops before it runs
   */
  static void awaitRunning(PipelineResult job, long replayStartsAt, PrintStream err, String prefix)
      throws InterruptedException {
    long until = System.currentTimeMillis() + 120_000;
    while (job.getState() != PipelineResult.State.RUNNING && System.currentTimeMillis() < until) {
      if (job.getState().isTerminal()) {
        throw new IllegalStateException("the job stopped before it ran: " + job.getState());
      }
      Thread.sleep(100);
    }
    err.printf(
        "%s: the job is %s, %.1f s before the replay starts%n",
        prefix, job.getState(), (replayStartsAt - System.currentTimeMillis()) / 1000.0);
  }

  /**
   * Checkpoints of an embedded default's job to files in {@code dir} unless {@code
   * --stateBackendStoragePath} says where: the heap backend with full snapshots unless {@code
   * --stateBackend} chose another. Flink's own default keeps them in the JobManager's memory, at
   * most 5 MB a task, which a job's state passes when it lags; the failed checkpoint restarts the
   * job, and at-least-once topics then hold rows twice.
   */
  static void checkpointTo(org.apache.beam.runners.flink.FlinkPipelineOptions flink, java.nio.file.Path dir) {
    if (flink.getStateBackendStoragePath() != null) {
      return;
    }
    if (flink.getStateBackend() == null && flink.getStateBackendFactory() == null) {
      flink.setStateBackend("filesystem");
    }
    flink.setStateBackendStoragePath(dir.toUri().toString());
  }
}
