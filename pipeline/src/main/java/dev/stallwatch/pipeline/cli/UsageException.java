package dev.stallwatch.pipeline.cli;

/**
 * An argument a command cannot run with; its message is the one line the user sees. Code below
 * the command line throws {@link IllegalArgumentException}, which means the same while a command
 * sets up its job.
 */
public final class UsageException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public UsageException(String message) {
    super(message);
  }
}
