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
}
