package dev.stallwatch.pipeline.cli;

import dev.stallwatch.pipeline.config.JobConfig;
import dev.stallwatch.pipeline.options.RunOptions;
import java.io.PrintStream;
import java.util.List;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * What {@code stallwatch run} does without {@code --bootstrapServers}: a local run that brings its
 * own systems. The launcher hands one in ({@link StallWatch#withEmbeddedDefault}); the pipeline
 * itself has none, and then {@code run} needs {@code --bootstrapServers}.
 */
public interface EmbeddedDefault {
  /** Options of its own, beside {@link RunOptions}; listed by {@code run --help}. */
  Class<? extends PipelineOptions> options();

  /** Its defaults, applied after the launch's own for {@code run}; shown by {@code run --help}. */
  List<LaunchDefault> defaults();

  /** Runs it with the parsed and defaulted {@code options}; answers the exit status. */
  int run(RunOptions options, JobConfig config, PrintStream out, PrintStream err) throws Exception;
}
