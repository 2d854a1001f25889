package dev.stallwatch.pipeline.files;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** The directory a backfill writes to: created when missing, cleared of an earlier run's shards. */
public final class OutputDirectory {
  private OutputDirectory() {}

  /** The names of the files a backfill writes: TextIO's shards of alerts and dead letters. */
  private static final Pattern OURS = Pattern.compile("(alerts|dead-letter)-[0-9]{5,}-of-[0-9]{5,}\\.jsonl");
  /** The names of the files a report writes: its page, its tables and its dead-letter shards. */
  public static final Pattern REPORT =
      Pattern.compile("report\\.html|(steps|alerts|suppressed|compare|summary)\\.(csv|json)|dead-letter-[0-9]{5,}-of-[0-9]{5,}\\.jsonl");

  /**
   * Creates {@code output} ({@code --output}) and removes the alert and dead-letter shards an
   * earlier run left in it; answers how many it removed. Nothing else is removed, and never an
   * input: when {@code inputPattern} ({@code --input}, which matched {@code inputs}) names a file
   * it would remove, or could match the files this run writes, it refuses, removing nothing.
   */
  public static int prepare(String output, String inputPattern, List<Path> inputs) {
    return prepare(output, inputPattern, inputs, OURS);
  }

  /** {@link #prepare(String, String, List)} for a command whose files' names {@code ours} matches. */
  public static int prepare(String output, String inputPattern, List<Path> inputs, Pattern ours) {
    Path dir = Path.of(output);
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      throw new IllegalArgumentException("--output: " + dir + " is a file; give a directory");
    }
    checkInputsApart(dir, inputPattern, inputs, ours);
    try {
      Files.createDirectories(dir);
      List<Path> old = earlierOutput(dir, ours);
      for (Path p : old) {
        Files.delete(p);
      }
      return old.size();
    } catch (IOException e) {
      throw new IllegalArgumentException("--output: cannot write to " + dir + ": " + reason(e));
    }
  }

  /**
   * After a job: removes the empty {@code .temp-beam} directory Beam's file sinks leave in a local
   * {@code output} once they have moved their files into place. One that is not empty is left.
   */
  public static void removeEmptyTemp(String output) {
    Path temp = Path.of(output).resolve(".temp-beam");
    try {
      Files.deleteIfExists(temp);
    } catch (IOException e) {
      // not empty (another run writing?) or not ours to remove: left as it is
    }
  }

  private static List<Path> earlierOutput(Path dir, Pattern ours) throws IOException {
    List<Path> old = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return old;
    }
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
      for (Path p : files) {
        if (ours.matcher(p.getFileName().toString()).matches() && Files.isRegularFile(p)) {
          old.add(p);
        }
      }
    }
    return old;
  }

  private static void checkInputsApart(Path dir, String inputPattern, List<Path> inputs, Pattern ours) {
    Path absolute = dir.toAbsolutePath().normalize();
    try {
      List<Path> old = earlierOutput(dir, ours);
      for (Path input : inputs) {
        for (Path p : old) {
          if (Files.isSameFile(p, input)) {
            throw new IllegalArgumentException(
                "--input: " + input + " is named as this run's output in --output " + dir
                    + ", which this run replaces; move the file or give another --output");
          }
        }
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("--output: cannot read " + dir + ": " + reason(e));
    }
    PathMatcher matcher;
    try {
      matcher = FileSystems.getDefault().getPathMatcher("glob:" + Path.of(inputPattern).toAbsolutePath().normalize());
    } catch (RuntimeException e) {
      return; // not a local pattern: it cannot match a local output directory
    }
    for (String shard : List.of("alerts-00000-of-00001.jsonl", "dead-letter-00000-of-00001.jsonl")) {
      if (matcher.matches(absolute.resolve(shard))) {
        throw new IllegalArgumentException(
            "--input: " + inputPattern + " would also read this run's own output in --output " + dir
                + "; give another --output or a narrower --input");
      }
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
