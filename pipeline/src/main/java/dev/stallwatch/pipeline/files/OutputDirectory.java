package dev.stallwatch.pipeline.files;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** The directory a backfill writes to: created when missing, cleared of an earlier run's files. */
public final class OutputDirectory {
  private OutputDirectory() {}

  /**
   * Creates {@code output} ({@code --output}) and removes the alert and dead-letter files an
   * earlier run left in it; answers how many it removed.
   */
  public static int prepare(String output) {
    Path dir = Path.of(output);
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      throw new IllegalArgumentException("--output: " + dir + " is a file; give a directory");
    }
    try {
      Files.createDirectories(dir);
      int removed = 0;
      try (DirectoryStream<Path> old = Files.newDirectoryStream(dir, "{alerts,dead-letter}*.jsonl")) {
        for (Path p : old) {
          Files.delete(p);
          removed++;
        }
      }
      return removed;
    } catch (IOException e) {
      throw new IllegalArgumentException("--output: cannot write to " + dir + ": " + reason(e));
    }
  }

  /** Why a file operation failed, in words, without repeating the path the message starts with. */
  private static String reason(IOException e) {
    if (e instanceof java.nio.file.AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof java.nio.file.FileAlreadyExistsException || e instanceof java.nio.file.NotDirectoryException) {
      return "a file stands where a directory should be";
    }
    if (e instanceof java.nio.file.FileSystemException && ((java.nio.file.FileSystemException) e).getReason() != null) {
      return ((java.nio.file.FileSystemException) e).getReason();
    }
    return e.getMessage() == null ? "input/output error" : e.getMessage();
  }
}
