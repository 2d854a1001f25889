package dev.stallwatch.pipeline.cli;

import java.io.PrintStream;
import org.apache.beam.sdk.options.PipelineOptions;

/** One command of {@code stallwatch <command>}: its line in the command list, its options, its run. */
public interface Command {
  /** One line for the command list. */
  String summary();

  /** The options {@code --help} lists. */
  Class<? extends PipelineOptions> options();

  /**
   * Runs the command and answers its exit status; throws {@link IllegalArgumentException} (such
   * as {@link UsageException}) for arguments it cannot run with, before any job starts.
   */
  int run(String[] args, PrintStream out, PrintStream err);
}
