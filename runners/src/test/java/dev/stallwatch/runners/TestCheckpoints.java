package dev.stallwatch.runners;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Checkpoint options for a streaming job a test runs on the embedded Flink: the heap backend
 * writing to a directory of its own (removed when the JVM exits). Flink's default keeps
 * checkpoints in the JobManager's memory, at most 5 MB a task, which a job's state passes when it
 * lags under load: the checkpoint fails and the job fails or restarts.
 */
final class TestCheckpoints {
  private TestCheckpoints() {}

  /** The state backend: the heap, with full snapshots. */
  static String backend() {
    return "--stateBackend=filesystem";
  }

  /** Where its checkpoints go: a new temporary directory. */
  static String storage() {
    try {
      Path dir = Files.createTempDirectory("stallwatch-it-checkpoints");
      Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(dir)));
      return "--stateBackendStoragePath=" + dir.toUri();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void delete(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      // a temporary directory: the system cleans it up some day
    }
  }
}
