package dev.stallwatch.pipeline.cli;

import dev.stallwatch.pipeline.classroom.ClassroomConfig;
import dev.stallwatch.pipeline.options.ClassroomRunOptions;
import java.io.PrintStream;
import java.util.List;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * What {@code stallwatch classroom run} does without {@code --bootstrapServers}: a local run that
 * brings its own systems (a broker, a database, a feed). The launcher hands one in ({@link
 * StallWatch#withClassroomEmbeddedDefault}); the pipeline itself has none, and then {@code classroom
 * run} needs {@code --bootstrapServers}. An implementation builds its job with {@code
 * ClassroomStreamingJob.create} (or its pieces {@code read}, {@code ClassroomGraph.build}, {@code
 * writeOutputs}) from the options and config it is given.
 */
public interface ClassroomEmbeddedDefault {
  /** Options of its own, beside {@link ClassroomRunOptions}; listed by {@code classroom run --help}. */
  Class<? extends PipelineOptions> options();

  /** Its defaults, applied after the launch's own for {@code classroom run}; shown by its help. */
  List<LaunchDefault> defaults();

  /**
   * Runs it with the parsed and defaulted {@code options} (streaming set, the launch's checks
   * passed) and the {@code config} they give; answers the exit status.
   */
  int run(ClassroomRunOptions options, ClassroomConfig config, PrintStream out, PrintStream err) throws Exception;
}
