package dev.stallwatch.embedded;

import dev.stallwatch.pipeline.kafka.SimulatedClock;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The size of the job's latest completed checkpoint each time the simulated clock passes a
 * midnight: the state-growth figure of a replay over several days. A checkpoint is complete when
 * its {@code chk-N} directory holds {@code _metadata}; its size is the sum of its files (full
 * snapshots of the heap state backend, which keeps small state inside {@code _metadata}) and of
 * the job's {@code shared} and {@code taskowned} files, where RocksDB's incremental checkpoints
 * keep the SST files that several checkpoints refer to (Flink deletes those no checkpoint it
 * retains refers to).
 */
final class CheckpointSizes {
  /** One day's figure. */
  record DayEnd(LocalDate day, long checkpoint, long bytes, long sharedBytes) {}

  private final Path root;
  private final List<DayEnd> dayEnds = new ArrayList<>();
  private long nextMidnight = Long.MIN_VALUE;

  CheckpointSizes(String storagePath) {
    Path path;
    try {
      path = storagePath.startsWith("file:") ? Path.of(URI.create(storagePath)) : Path.of(storagePath);
    } catch (IllegalArgumentException e) {
      path = null; // not a local directory: no figures
    }
    this.root = path;
  }

  /** Records a figure for every midnight the clock has passed since the last call. */
  synchronized void atDayEnds(SimulatedClock clock, ZoneId zone) {
    long now = clock.now().getMillis();
    if (nextMidnight == Long.MIN_VALUE) {
      nextMidnight = midnightAfter(now, zone);
      return;
    }
    while (now >= nextMidnight) {
      long[] latest = latest();
      LocalDate day = java.time.Instant.ofEpochMilli(nextMidnight - 1).atZone(zone).toLocalDate();
      dayEnds.add(new DayEnd(day, latest[0], latest[1], latest[2]));
      nextMidnight = midnightAfter(nextMidnight, zone);
    }
  }

  synchronized List<DayEnd> dayEnds() {
    return List.copyOf(dayEnds);
  }

  void print(PrintStream out) {
    for (DayEnd d : dayEnds()) {
      out.printf(
          "  %-32s %s%n",
          "state at the end of " + d.day(),
          d.checkpoint() < 0
              ? "no checkpoint yet"
              : d.sharedBytes() == 0
                  ? String.format("%,d bytes (checkpoint %d)", d.bytes(), d.checkpoint())
                  : String.format(
                      "%,d bytes (checkpoint %d; %,d of them in files shared by incremental checkpoints)",
                      d.bytes(), d.checkpoint(), d.sharedBytes()));
    }
  }

  private static long midnightAfter(long millis, ZoneId zone) {
    LocalDate day = java.time.Instant.ofEpochMilli(millis).atZone(zone).toLocalDate();
    return day.plusDays(1).atStartOfDay(zone).toInstant().toEpochMilli();
  }

  /** The latest complete checkpoint's number, size and shared part, or -1 when there is none. */
  private long[] latest() {
    if (root == null || !Files.isDirectory(root)) {
      return new long[] {-1, 0, 0};
    }
    long best = -1;
    Path bestDir = null;
    try (Stream<Path> jobs = Files.list(root)) {
      for (Path job : jobs.toList()) {
        if (!Files.isDirectory(job)) {
          continue;
        }
        try (Stream<Path> chks = Files.list(job)) {
          for (Path chk : chks.toList()) {
            String name = chk.getFileName().toString();
            if (name.startsWith("chk-") && Files.exists(chk.resolve("_metadata"))) {
              long n = Long.parseLong(name.substring(4));
              if (n > best) {
                best = n;
                bestDir = chk;
              }
            }
          }
        }
      }
      if (bestDir == null) {
        return new long[] {-1, 0, 0};
      }
      Path job = bestDir.getParent();
      long shared = size(job.resolve("shared")) + size(job.resolve("taskowned"));
      return new long[] {best, size(bestDir) + shared, shared};
    } catch (IOException | UncheckedIOException e) {
      return new long[] {-1, 0, 0}; // a checkpoint was being replaced: try again at the next midnight
    }
  }

  private static long size(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
    }
  }
}
